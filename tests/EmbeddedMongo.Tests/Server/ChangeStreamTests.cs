using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Server;

/// <summary>Change streams (watch) through MongoDB.Driver on a replica-set mode server.</summary>
public sealed class ChangeStreamTests(ReplicaSetServerFixture server) : IClassFixture<ReplicaSetServerFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static async Task<List<ChangeStreamDocument<BsonDocument>>> ReadAsync(
        IChangeStreamCursor<ChangeStreamDocument<BsonDocument>> cursor, int count, CancellationToken ct)
    {
        var events = new List<ChangeStreamDocument<BsonDocument>>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Wait);
        while (events.Count < count && await cursor.MoveNextAsync(timeout.Token)) events.AddRange(cursor.Current);
        return events;
    }

    private static ChangeStreamOptions Options(ChangeStreamFullDocumentOption? fullDocument = null) =>
        new() { MaxAwaitTime = TimeSpan.FromMilliseconds(200), FullDocument = fullDocument ?? ChangeStreamFullDocumentOption.Default };

    [Fact]
    public async Task Inserts_updates_replaces_and_deletes_arrive_in_order_with_their_documents()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = server.NewDatabase().GetCollection<BsonDocument>("orders");
        using var cursor = await c.WatchAsync(options: Options(), cancellationToken: ct);

        await c.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "status", "new" } }, cancellationToken: ct);
        await c.UpdateOneAsync(new BsonDocument("_id", 1), new BsonDocument { { "$set", new BsonDocument("status", "paid") }, { "$unset", new BsonDocument("missing", "") } }, cancellationToken: ct);
        await c.ReplaceOneAsync(new BsonDocument("_id", 1), new BsonDocument { { "_id", 1 }, { "status", "shipped" } }, cancellationToken: ct);
        await c.DeleteOneAsync(new BsonDocument("_id", 1), ct);
        var events = await ReadAsync(cursor, 4, ct);

        Assert.Equal([ChangeStreamOperationType.Insert, ChangeStreamOperationType.Update, ChangeStreamOperationType.Replace, ChangeStreamOperationType.Delete],
            events.Select(e => e.OperationType));
        Assert.All(events, e => Assert.Equal(new BsonDocument("_id", 1), e.DocumentKey));
        Assert.Equal("new", events[0].FullDocument["status"].AsString);
        Assert.Equal(new BsonDocument("status", "paid"), events[1].UpdateDescription.UpdatedFields);
        Assert.Null(events[1].FullDocument);
        Assert.Equal("shipped", events[2].FullDocument["status"].AsString);
        Assert.Equal(c.CollectionNamespace, events[0].CollectionNamespace);
        Assert.True(events[1].ClusterTime > events[0].ClusterTime);
    }

    [Fact]
    public async Task UpdateLookup_returns_the_current_document()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = server.NewDatabase().GetCollection<BsonDocument>("c");
        await c.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "n", 1 }, { "name", "x" } }, cancellationToken: ct);
        using var cursor = await c.WatchAsync(options: Options(ChangeStreamFullDocumentOption.UpdateLookup), cancellationToken: ct);

        await c.UpdateOneAsync(new BsonDocument("_id", 1), new BsonDocument("$inc", new BsonDocument("n", 1)), cancellationToken: ct);
        var events = await ReadAsync(cursor, 1, ct);

        Assert.Equal(new BsonDocument { { "_id", 1 }, { "n", 2 }, { "name", "x" } }, events.Single().FullDocument);
    }

    [Fact]
    public async Task A_pipeline_filters_events_and_a_resume_token_continues_after_the_last_one_seen()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = server.NewDatabase().GetCollection<BsonDocument>("jobs");
        var pipeline = new EmptyPipelineDefinition<ChangeStreamDocument<BsonDocument>>().Match(e => e.OperationType == ChangeStreamOperationType.Insert);
        BsonDocument token;
        using (var cursor = await c.WatchAsync(pipeline, Options(), ct))
        {
            await c.InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: ct);
            await c.DeleteOneAsync(new BsonDocument("_id", 1), ct);
            await c.InsertOneAsync(new BsonDocument("_id", 2), cancellationToken: ct);
            var first = await ReadAsync(cursor, 2, ct);
            Assert.Equal([1, 2], first.Select(e => e.DocumentKey["_id"].AsInt32));
            token = first[0].ResumeToken;
        }

        await c.InsertOneAsync(new BsonDocument("_id", 3), cancellationToken: ct);
        var resumeOptions = Options();
        resumeOptions.ResumeAfter = token;
        using var resumed = await c.WatchAsync(pipeline, resumeOptions, ct);
        var after = await ReadAsync(resumed, 2, ct);

        Assert.Equal([2, 3], after.Select(e => e.DocumentKey["_id"].AsInt32));
    }

    [Fact]
    public async Task A_database_stream_sees_every_collection_and_a_dropped_collection_invalidates_its_stream()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = server.NewDatabase();
        using var dbCursor = await db.WatchAsync(options: Options(), cancellationToken: ct);
        var a = db.GetCollection<BsonDocument>("a");
        await a.InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: ct);
        using var collectionCursor = await a.WatchAsync(options: Options(), cancellationToken: ct);
        await db.GetCollection<BsonDocument>("b").InsertOneAsync(new BsonDocument("_id", 2), cancellationToken: ct);
        await db.DropCollectionAsync("a", ct);

        var dbEvents = await ReadAsync(dbCursor, 3, ct);
        var collectionEvents = await ReadAsync(collectionCursor, 2, ct);

        Assert.Equal(["a", "b", "a"], dbEvents.Select(e => e.CollectionNamespace.CollectionName));
        Assert.Equal([ChangeStreamOperationType.Insert, ChangeStreamOperationType.Insert, ChangeStreamOperationType.Drop], dbEvents.Select(e => e.OperationType));
        Assert.Equal([ChangeStreamOperationType.Drop, ChangeStreamOperationType.Invalidate], collectionEvents.Select(e => e.OperationType));
    }

    [Fact]
    public async Task A_standalone_server_refuses_change_streams_like_mongod()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var standalone = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions(), ct);
        using var client = ServerFixture.CreateClient(standalone.ConnectionString);

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => client.GetDatabase("x").GetCollection<BsonDocument>("c").WatchAsync(cancellationToken: ct));

        Assert.Equal(40573, error.Code);
    }
}
