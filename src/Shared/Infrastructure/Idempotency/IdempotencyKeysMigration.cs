using MongoDB.Driver;
using Monolith.Shared.Infrastructure.Migrations;
using Monolith.Shared.Infrastructure.Mongo;

namespace Monolith.Shared.Infrastructure.Idempotency;

/// <summary>Creates a module's <c>&lt;module&gt;.idempotency</c> collection's TTL index, so keys expire after their lifetime.</summary>
public sealed class IdempotencyKeysMigration(string module, int version) : IMigration
{
    internal const string Collection = "idempotency";
    private const string IndexName = "expiresAt_ttl";

    public string Module => module;

    public int Version => version;

    public string Description => "TTL index on idempotency keys";

    public async Task UpAsync(ModuleDatabase database, CancellationToken cancellationToken) =>
        await database.Collection<IdempotencyRecord>(Collection).Indexes.CreateOneAsync(
            new CreateIndexModel<IdempotencyRecord>(
                Builders<IdempotencyRecord>.IndexKeys.Ascending(r => r.ExpiresAt),
                new CreateIndexOptions { Name = IndexName, ExpireAfter = TimeSpan.Zero }),
            cancellationToken: cancellationToken);

    public async Task DownAsync(ModuleDatabase database, CancellationToken cancellationToken) =>
        await database.Collection<IdempotencyRecord>(Collection).Indexes.DropOneAsync(IndexName, cancellationToken);
}
