using Monolith.Modules.Catalog.Contracts;
using Monolith.Modules.Catalog.Domain;

namespace Monolith.Modules.Catalog.Products;

internal sealed record MoneyResponse(decimal Amount, string Currency);

internal sealed record ProductResponse(
    string Id,
    string Sku,
    string Name,
    string? Description,
    MoneyResponse Price,
    string? CategoryId,
    IReadOnlyList<string> Tags,
    int Stock,
    ProductStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

internal sealed record ProductPage(IReadOnlyList<ProductResponse> Data, string? NextCursor, bool HasMore);

internal static class ProductMapping
{
    public static ProductResponse ToResponse(this Product p) => new(
        p.Id, p.Sku, p.Name, p.Description, new MoneyResponse(p.Price.Amount, p.Price.Currency), p.CategoryId, p.Tags,
        p.Stock, p.Status, p.CreatedAt, p.UpdatedAt, p.Version);

    public static ProductInput ToInput(this ProductResponse p) => new(
        p.Sku, p.Name, p.Description, new MoneyInput(p.Price.Amount, p.Price.Currency), p.CategoryId, p.Tags, p.Stock, p.Status);

    public static void Apply(this Product product, ProductInput input)
    {
        product.Sku = input.Sku!;
        product.Name = input.Name!;
        product.NameKey = input.Name!.ToLowerInvariant();
        product.Description = string.IsNullOrEmpty(input.Description) ? null : input.Description;
        product.Price = new Money { Amount = input.Price!.Amount!.Value, Currency = input.Price.Currency! };
        product.CategoryId = input.CategoryId;
        product.Tags = (input.Tags ?? []).Select(t => t.ToLowerInvariant()).Distinct().ToList();
        product.Stock = input.Stock!.Value;
        product.Status = input.Status ?? ProductStatus.Draft;
    }

    public static ProductSnapshot ToSnapshot(this ProductResponse p) =>
        new(p.Id, p.Sku, p.Name, p.Price.Amount, p.Price.Currency, p.Status.ToString().ToLowerInvariant(), p.Version);
}
