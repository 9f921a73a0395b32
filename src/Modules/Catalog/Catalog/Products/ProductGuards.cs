using MongoDB.Driver;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.SoftDelete;

namespace Monolith.Modules.Catalog.Products;

internal static class ProductGuards
{
    public static async Task EnsureCategoryExistsAsync(CatalogDb db, string? categoryId, CancellationToken ct)
    {
        if (categoryId is null)
        {
            return;
        }

        var filter = Builders<Domain.Category>.Filter.Eq(c => c.Id, categoryId) & SoftDelete.Live<Domain.Category>();
        if (!await db.Categories.Find(filter).Limit(1).AnyAsync(ct))
        {
            throw AppException.Validation("categoryId", "No such category.");
        }
    }

    public static bool IsDuplicateKey(MongoWriteException e) => e.WriteError?.Category == ServerErrorCategory.DuplicateKey;
}
