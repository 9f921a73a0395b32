using Mediator;
using MongoDB.Driver;
using Monolith.Shared.Infrastructure.SoftDelete;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Catalog.Products;

/// <summary>A live product by id, whatever its status (the endpoint decides who may see drafts).</summary>
internal sealed record GetProductQuery(string Id) : IQuery<ProductResponse?>;

internal sealed class GetProductHandler(CatalogDb db, IFusionCache cache) : IQueryHandler<GetProductQuery, ProductResponse?>
{
    public async ValueTask<ProductResponse?> Handle(GetProductQuery query, CancellationToken ct)
    {
        if (!MongoDB.Bson.ObjectId.TryParse(query.Id, out _))
        {
            return null;
        }

        return await cache.GetOrSetAsync<ProductResponse?>(
            ProductCache.Key(query.Id),
            async token =>
            {
                var filter = Builders<Domain.Product>.Filter.Eq(p => p.Id, query.Id) & SoftDelete.Live<Domain.Product>();
                var product = await db.Products.Find(filter).FirstOrDefaultAsync(token);
                return product?.ToResponse();
            },
            tags: [ProductCache.Tag(query.Id)],
            token: ct);
    }
}
