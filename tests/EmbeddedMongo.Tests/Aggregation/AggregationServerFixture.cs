using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Aggregation;

/// <summary>One in-memory embedded server for the aggregation tests; each test takes fresh collections.</summary>
public sealed class AggregationServerFixture : IAsyncLifetime
{
    private EmbeddedMongoServer? _server;
    private int _collections;

    public IMongoDatabase Database { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { Port = 0 });
        Database = new MongoClient(_server.ConnectionString).GetDatabase("aggregation_tests");
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

    public static BsonDocument[] Stages(string pipelineJson) =>
        BsonSerializer.Deserialize<BsonArray>(pipelineJson).Select(s => s.AsBsonDocument).ToArray();
}

[CollectionDefinition(Name)]
public sealed class AggregationServerCollection : ICollectionFixture<AggregationServerFixture>
{
    public const string Name = "Aggregation server";
}

internal static class AggregationAssertions
{
    public static async Task<List<BsonDocument>> Run(this IMongoCollection<BsonDocument> collection, string pipeline, AggregateOptions? options = null)
    {
        var stages = PipelineDefinition<BsonDocument, BsonDocument>.Create(AggregationServerFixture.Stages(pipeline));
        using var cursor = await collection.AggregateAsync(stages, options, TestContext.Current.CancellationToken);
        return await cursor.ToListAsync(TestContext.Current.CancellationToken);
    }

    public static async Task<MongoCommandException> Fails(this IMongoCollection<BsonDocument> collection, string pipeline) =>
        await Assert.ThrowsAsync<MongoCommandException>(() => collection.RunCommand(pipeline));

    /// <summary>Sends the aggregate command as is (the driver's own pipeline checks would pre-empt the server's).</summary>
    public static Task<BsonDocument> RunCommand(this IMongoCollection<BsonDocument> collection, string pipeline)
    {
        var command = new BsonDocument
        {
            { "aggregate", collection.CollectionNamespace.CollectionName },
            { "pipeline", new BsonArray(AggregationServerFixture.Stages(pipeline)) },
            { "cursor", new BsonDocument() },
        };
        return collection.Database.RunCommandAsync<BsonDocument>(command, cancellationToken: TestContext.Current.CancellationToken);
    }

    public static async Task<List<BsonDocument>> All(this IMongoCollection<BsonDocument> collection)
    {
        var options = new FindOptions<BsonDocument> { Sort = AggregationServerFixture.Doc("{_id: 1}") };
        using var cursor = await collection.FindAsync(FilterDefinition<BsonDocument>.Empty, options, TestContext.Current.CancellationToken);
        return await cursor.ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Compares as canonical extended JSON so that value types (int vs long vs double) count.</summary>
    public static void SameDocuments(string expectedJson, IEnumerable<BsonDocument> actual) =>
        Assert.Equal(Canonical(BsonSerializer.Deserialize<BsonArray>(expectedJson)), Canonical(new BsonArray(actual)));

    public static string Canonical(BsonValue value) =>
        value.ToJson(new MongoDB.Bson.IO.JsonWriterSettings { OutputMode = MongoDB.Bson.IO.JsonOutputMode.CanonicalExtendedJson });
}
