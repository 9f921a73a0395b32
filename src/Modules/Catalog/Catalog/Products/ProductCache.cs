using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Catalog.Products;

/// <summary>Cache keys and tags for products: one tag per product, one for every cached list.</summary>
internal static class ProductCache
{
    public const string ListsTag = "catalog:products:lists";

    public static string Key(string id) => $"catalog:product:{id}";

    public static string Tag(string id) => $"catalog:product:{id}";

    public static string ListKey(string normalizedQuery) => $"catalog:products:list:{normalizedQuery}";

    /// <summary>Drops the product's entry and every cached list (any list may contain it).</summary>
    public static async Task InvalidateAsync(IFusionCache cache, string id, CancellationToken ct)
    {
        await cache.RemoveByTagAsync(Tag(id), token: ct);
        await cache.RemoveByTagAsync(ListsTag, token: ct);
    }
}
