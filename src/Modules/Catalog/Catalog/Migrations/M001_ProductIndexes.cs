using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Shared.Infrastructure.Migrations;

namespace Monolith.Modules.Catalog.Migrations;

/// <summary>
/// Every list filter and sort is served by an index: sorts end in _id (the pagination tie-breaker), and the
/// anonymous listing (status = active) has its own compound index per sort.
/// </summary>
internal sealed class M001_ProductIndexes : CreateIndexesMigration
{
    public override string Module => CatalogModule.Name;

    public override int Version => 1;

    public override string Description => "Product indexes: unique sku, filters and sorts";

    protected override string Collection => CatalogDb.ProductsCollection;

    protected override IEnumerable<CreateIndexModel<BsonDocument>> Indexes =>
    [
        Index("sku_unique", new BsonDocument("sku", 1), unique: true),
        Index("createdAt_id", new BsonDocument { { "createdAt", 1 }, { "_id", 1 } }),
        Index("price_id", new BsonDocument { { "price.amount", 1 }, { "_id", 1 } }),
        Index("nameKey_id", new BsonDocument { { "nameKey", 1 }, { "_id", 1 } }),
        Index("status_createdAt_id", new BsonDocument { { "status", 1 }, { "createdAt", 1 }, { "_id", 1 } }),
        Index("status_price_id", new BsonDocument { { "status", 1 }, { "price.amount", 1 }, { "_id", 1 } }),
        Index("status_nameKey_id", new BsonDocument { { "status", 1 }, { "nameKey", 1 }, { "_id", 1 } }),
        Index("categoryId_createdAt_id", new BsonDocument { { "categoryId", 1 }, { "createdAt", 1 }, { "_id", 1 } }),
        Index("tags_createdAt_id", new BsonDocument { { "tags", 1 }, { "createdAt", 1 }, { "_id", 1 } }),
        Index("deletedAt", new BsonDocument("deletedAt", 1)),
    ];
}
