using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Identity.ApiKeys;
using Monolith.Shared.Infrastructure.Migrations;

namespace Monolith.Modules.Identity.Migrations;

/// <summary>
/// API keys are looked up by their public prefix, which must be unique. Versions 20-29 belong to API keys and the
/// account admin API; the OAuth server's collections, developed in parallel, took 10 (and the numbers up to 19).
/// </summary>
internal sealed class M020_ApiKeyIndexes : CreateIndexesMigration
{
    public override string Module => IdentityModule.Name;

    public override int Version => 20;

    public override string Description => "API key indexes: unique prefix";

    protected override string Collection => ApiKeyStore.Collection;

    protected override IEnumerable<CreateIndexModel<BsonDocument>> Indexes =>
    [
        Index("prefix_unique", new BsonDocument("prefix", 1), unique: true),
    ];
}
