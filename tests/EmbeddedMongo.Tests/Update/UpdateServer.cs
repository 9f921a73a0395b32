using MongoDB.Bson;
using Xunit;
using MongoDB.Driver;

namespace Monolith.EmbeddedMongo.Tests.Update;

/// <summary>One in-memory embedded server per test class; every test works in a collection of its own.</summary>
public sealed class UpdateServer : IAsyncLifetime
{
    private EmbeddedMongoServer? _server;

    public IMongoDatabase Database { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { Port = 0 });
        Database = new MongoClient(_server.ConnectionString).GetDatabase("update_tests");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>A fresh collection holding <paramref name="documents"/> (given as JSON).</summary>
    public async Task<IMongoCollection<BsonDocument>> CollectionWith(params string[] documents)
    {
        var collection = Database.GetCollection<BsonDocument>("c" + Guid.NewGuid().ToString("N"));
        if (documents.Length > 0) await collection.InsertManyAsync(documents.Select(BsonDocument.Parse));
        return collection;
    }

    /// <summary>Sends one raw update statement (bypassing the driver's client-side checks) and returns the reply.</summary>
    public async Task<BsonDocument> RawUpdate(IMongoCollection<BsonDocument> collection, string statement)
    {
        var command = new BsonDocument
        {
            { "update", collection.CollectionNamespace.CollectionName },
            { "updates", new BsonArray { BsonDocument.Parse(statement) } },
        };
        return await Database.RunCommandAsync<BsonDocument>(command);
    }

    public static async Task<List<BsonDocument>> All(IMongoCollection<BsonDocument> collection) =>
        await collection.Find(FilterDefinition<BsonDocument>.Empty).Sort("{_id: 1}").ToListAsync();
}
