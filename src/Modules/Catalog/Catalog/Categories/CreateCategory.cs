using FluentValidation;
using Mediator;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Catalog.Domain;

namespace Monolith.Modules.Catalog.Categories;

internal sealed record CreateCategoryCommand(CategoryInput Body) : ICommand<CategoryResponse>;

internal sealed class CreateCategoryValidator : AbstractValidator<CreateCategoryCommand>
{
    public CreateCategoryValidator() => RuleFor(c => c.Body).NotNull().SetValidator(new CategoryInputValidator());
}

internal sealed class CreateCategoryHandler(CatalogDb db, TimeProvider clock) : ICommandHandler<CreateCategoryCommand, CategoryResponse>
{
    public async ValueTask<CategoryResponse> Handle(CreateCategoryCommand command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var category = new Category { Id = ObjectId.GenerateNewId().ToString(), CreatedAt = now, UpdatedAt = now, Version = 1 };
        category.Apply(command.Body);
        await CategoryGuards.EnsureValidParentAsync(db, category.Id, category.ParentId, ct);
        try
        {
            await db.Categories.InsertOneAsync(category, cancellationToken: ct);
        }
        catch (MongoWriteException e) when (e.WriteError?.Category == ServerErrorCategory.DuplicateKey)
        {
            throw CategoryGuards.DuplicateSlug(category.Slug);
        }

        return category.ToResponse();
    }
}
