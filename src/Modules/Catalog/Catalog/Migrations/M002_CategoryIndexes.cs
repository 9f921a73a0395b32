using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Shared.Infrastructure.Migrations;

namespace Monolith.Modules.Catalog.Migrations;

internal sealed class M002_CategoryIndexes : CreateIndexesMigration
{
    public override string Module => CatalogModule.Name;

    public override int Version => 2;

    public override string Description => "Category indexes: unique slug, parent, name order";

    protected override string Collection => CatalogDb.CategoriesCollection;

    protected override IEnumerable<CreateIndexModel<BsonDocument>> Indexes =>
    [
        Index("slug_unique", new BsonDocument("slug", 1), unique: true),
        Index("nameKey_id", new BsonDocument { { "nameKey", 1 }, { "_id", 1 } }),
        Index("parentId_nameKey_id", new BsonDocument { { "parentId", 1 }, { "nameKey", 1 }, { "_id", 1 } }),
        Index("deletedAt", new BsonDocument("deletedAt", 1)),
    ];
}
