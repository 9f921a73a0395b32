using FluentValidation;
using MongoDB.Bson;
using Monolith.Modules.Catalog.Domain;

namespace Monolith.Modules.Catalog.Categories;

internal sealed record CategoryInput(string? Name, string? Slug, string? ParentId);

internal sealed record CategoryResponse(
    string Id, string Name, string Slug, string? ParentId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version);

internal sealed record CategoryPage(IReadOnlyList<CategoryResponse> Data, string? NextCursor, bool HasMore);

internal sealed class CategoryInputValidator : AbstractValidator<CategoryInput>
{
    public CategoryInputValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(100);
        RuleFor(c => c.Slug).NotEmpty().MaximumLength(100).Matches("^[a-z0-9]+(?:-[a-z0-9]+)*$")
            .WithMessage("Slug is lower-case letters and digits separated by single '-'.");
        RuleFor(c => c.ParentId).Must(id => id is null || ObjectId.TryParse(id, out _)).WithMessage("Not a category id.");
    }
}

internal static class CategoryMapping
{
    public static CategoryResponse ToResponse(this Category c) =>
        new(c.Id, c.Name, c.Slug, c.ParentId, c.CreatedAt, c.UpdatedAt, c.Version);

    public static CategoryInput ToInput(this Category c) => new(c.Name, c.Slug, c.ParentId);

    public static void Apply(this Category category, CategoryInput input)
    {
        category.Name = input.Name!;
        category.NameKey = input.Name!.ToLowerInvariant();
        category.Slug = input.Slug!;
        category.ParentId = input.ParentId;
    }
}
