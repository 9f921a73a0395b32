using MongoDB.Driver;
using Monolith.Modules.Catalog.Domain;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.SoftDelete;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Catalog.Categories;

internal static class CategoryGuards
{
    public static string Key(string id) => $"catalog:category:{id}";

    public static Task InvalidateAsync(IFusionCache cache, string id, CancellationToken ct) =>
        cache.RemoveByTagAsync(Key(id), token: ct).AsTask();

    public static FilterDefinition<Category> LiveById(string id) =>
        Builders<Category>.Filter.Eq(c => c.Id, id) & SoftDelete.Live<Category>();

    public static async Task<Category> LoadLiveAsync(CatalogDb db, string id, CancellationToken ct) =>
        (MongoDB.Bson.ObjectId.TryParse(id, out _) ? await db.Categories.Find(LiveById(id)).FirstOrDefaultAsync(ct) : null)
        ?? throw AppException.NotFound("Category", id);

    /// <summary>The parent must exist, and following parents from it must never lead back to the category itself.</summary>
    public static async Task EnsureValidParentAsync(CatalogDb db, string? categoryId, string? parentId, CancellationToken ct)
    {
        var current = parentId;
        for (var depth = 0; current is not null; depth++)
        {
            if (current == categoryId || depth > 32)
            {
                throw AppException.Validation("parentId", "A category cannot be its own ancestor.");
            }

            var parent = await db.Categories.Find(LiveById(current)).FirstOrDefaultAsync(ct);
            if (parent is null)
            {
                throw AppException.Validation("parentId", depth == 0 ? "No such category." : "The parent chain is broken.");
            }

            current = parent.ParentId;
        }
    }

    public static AppException DuplicateSlug(string slug) => AppException.Conflict($"A category with slug '{slug}' already exists.");
}
