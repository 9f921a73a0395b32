using FluentValidation;
using Mediator;
using MongoDB.Driver;
using Monolith.Modules.Catalog.Domain;
using Monolith.Shared.Infrastructure.Errors;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Catalog.Categories;

internal sealed record ReplaceCategoryCommand(string Id, long? ExpectedVersion, CategoryInput Body) : ICommand<CategoryResponse>;

internal sealed class ReplaceCategoryValidator : AbstractValidator<ReplaceCategoryCommand>
{
    public ReplaceCategoryValidator() => RuleFor(c => c.Body).NotNull().SetValidator(new CategoryInputValidator());
}

internal sealed class ReplaceCategoryHandler(CatalogDb db, IFusionCache cache, TimeProvider clock)
    : ICommandHandler<ReplaceCategoryCommand, CategoryResponse>
{
    public async ValueTask<CategoryResponse> Handle(ReplaceCategoryCommand command, CancellationToken ct)
    {
        var current = await CategoryGuards.LoadLiveAsync(db, command.Id, ct);
        if (command.ExpectedVersion is { } expected && expected != current.Version)
        {
            throw AppException.PreconditionFailed();
        }

        if (command.Body.ParentId != current.ParentId)
        {
            await CategoryGuards.EnsureValidParentAsync(db, current.Id, command.Body.ParentId, ct);
        }

        var readVersion = current.Version;
        current.Apply(command.Body);
        current.Version = readVersion + 1;
        current.UpdatedAt = clock.GetUtcNow();
        try
        {
            var result = await db.Categories.ReplaceOneAsync(
                CategoryGuards.LiveById(current.Id) & Builders<Category>.Filter.Eq(c => c.Version, readVersion), current, cancellationToken: ct);
            if (result.MatchedCount == 0)
            {
                throw AppException.PreconditionFailed();
            }
        }
        catch (MongoWriteException e) when (e.WriteError?.Category == ServerErrorCategory.DuplicateKey)
        {
            throw CategoryGuards.DuplicateSlug(current.Slug);
        }

        await CategoryGuards.InvalidateAsync(cache, current.Id, ct);
        return current.ToResponse();
    }
}
