using Mediator;
using MongoDB.Driver;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Catalog.Categories;

internal sealed record GetCategoryQuery(string Id) : IQuery<CategoryResponse?>;

internal sealed class GetCategoryHandler(CatalogDb db, IFusionCache cache) : IQueryHandler<GetCategoryQuery, CategoryResponse?>
{
    public async ValueTask<CategoryResponse?> Handle(GetCategoryQuery query, CancellationToken ct) =>
        !MongoDB.Bson.ObjectId.TryParse(query.Id, out _)
            ? null
            : await cache.GetOrSetAsync<CategoryResponse?>(
                CategoryGuards.Key(query.Id),
                async token => (await db.Categories.Find(CategoryGuards.LiveById(query.Id)).FirstOrDefaultAsync(token))?.ToResponse(),
                tags: [CategoryGuards.Key(query.Id)],
                token: ct);
}
