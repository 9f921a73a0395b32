using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Query;

/// <summary>One in-memory embedded server for the query tests; each test takes a fresh collection.</summary>
public sealed class QueryServerFixture : IAsyncLifetime
{
    private EmbeddedMongoServer? _server;
    private int _collections;

    public IMongoDatabase Database { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { Port = 0 });
        var client = new MongoClient(_server.ConnectionString);
        Database = client.GetDatabase("query_tests");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>A new collection holding the given documents (extended JSON).</summary>
    public async Task<IMongoCollection<BsonDocument>> CollectionWith(params string[] documents)
    {
        var collection = Database.GetCollection<BsonDocument>($"c{Interlocked.Increment(ref _collections)}");
        if (documents.Length > 0)
            await collection.InsertManyAsync(documents.Select(Doc), cancellationToken: TestContext.Current.CancellationToken);
        return collection;
    }

    public static BsonDocument Doc(string json) => BsonSerializer.Deserialize<BsonDocument>(json);
}

[CollectionDefinition(Name)]
public sealed class QueryServerCollection : ICollectionFixture<QueryServerFixture>
{
    public const string Name = "Query server";
}
