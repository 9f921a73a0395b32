using Mediator;
using MongoDB.Driver;
using Monolith.Modules.Catalog.Domain;
using Monolith.Shared.Infrastructure.Errors;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Catalog.Categories;

internal sealed record DeleteCategoryCommand(string Id, long? ExpectedVersion) : ICommand;

internal sealed class DeleteCategoryHandler(CatalogDb db, IFusionCache cache, TimeProvider clock) : ICommandHandler<DeleteCategoryCommand>
{
    public async ValueTask<Unit> Handle(DeleteCategoryCommand command, CancellationToken ct)
    {
        var current = await CategoryGuards.LoadLiveAsync(db, command.Id, ct);
        if (command.ExpectedVersion is { } expected && expected != current.Version)
        {
            throw AppException.PreconditionFailed();
        }

        var now = clock.GetUtcNow();
        var result = await db.Categories.UpdateOneAsync(
            CategoryGuards.LiveById(command.Id) & Builders<Category>.Filter.Eq(c => c.Version, current.Version),
            Builders<Category>.Update.Set(c => c.DeletedAt, now).Set(c => c.UpdatedAt, now).Inc(c => c.Version, 1),
            cancellationToken: ct);
        if (result.MatchedCount == 0)
        {
            throw AppException.PreconditionFailed();
        }

        await CategoryGuards.InvalidateAsync(cache, command.Id, ct);
        return Unit.Value;
    }
}
