namespace Monolith.Modules.Catalog.Contracts;

/// <summary>What other modules may ask the catalog synchronously.</summary>
public interface ICatalogModuleApi
{
    /// <summary>The product, or null when it does not exist or is deleted.</summary>
    Task<ProductSnapshot?> GetProductAsync(string productId, CancellationToken cancellationToken);
}

/// <summary>A product as other modules see it.</summary>
public sealed record ProductSnapshot(string Id, string Sku, string Name, decimal PriceAmount, string Currency, string Status, long Version);
