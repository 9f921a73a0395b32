using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Shared.Infrastructure.Mongo;

namespace Monolith.Shared.Infrastructure.Migrations;

/// <summary>A migration that creates named indexes on one collection (Up) and drops them again (Down).</summary>
public abstract class CreateIndexesMigration : IMigration
{
    public abstract string Module { get; }

    public abstract int Version { get; }

    public abstract string Description { get; }

    protected abstract string Collection { get; }

    protected abstract IEnumerable<CreateIndexModel<BsonDocument>> Indexes { get; }

    public async Task UpAsync(ModuleDatabase database, CancellationToken cancellationToken) =>
        await database.Collection<BsonDocument>(Collection).Indexes.CreateManyAsync(Indexes, cancellationToken);

    public async Task DownAsync(ModuleDatabase database, CancellationToken cancellationToken)
    {
        var collection = database.Collection<BsonDocument>(Collection);
        foreach (var index in Indexes)
        {
            await collection.Indexes.DropOneAsync(index.Options.Name, cancellationToken);
        }
    }

    protected static CreateIndexModel<BsonDocument> Index(string name, BsonDocument keys, bool unique = false) =>
        new(keys, new CreateIndexOptions { Name = name, Unique = unique });
}
