using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Sessions;

/// <summary>
/// The driver's retry of a write whose reply was lost (the connection dropped after the server applied it) must
/// not apply the write a second time and must report the first attempt's result.
/// </summary>
public sealed class RetryableWriteTests(ReplicaSetServerFixture fixture) : IClassFixture<ReplicaSetServerFixture>, IAsyncLifetime
{
    private ReplyDroppingProxy _proxy = null!;
    private MongoClient _client = null!;
    private IMongoCollection<BsonDocument> _items = null!;
    private IMongoCollection<BsonDocument> _direct = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _proxy = new ReplyDroppingProxy(fixture.Server.Port);
        _client = ServerFixture.CreateClient(_proxy.ConnectionString, s => s.RetryWrites = true);
        var name = ServerFixture.UniqueDatabaseName("retryable");
        _items = _client.GetDatabase(name).GetCollection<BsonDocument>("items");
        _direct = fixture.Client.GetDatabase(name).GetCollection<BsonDocument>("items");
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task Retried_insert_is_applied_once()
    {
        _proxy.DropReplyToNext("insert");

        await _items.InsertOneAsync(new BsonDocument { { "_id", "a" }, { "v", 1 } }, cancellationToken: Ct);

        AssertRetriedOnce("insert");
        Assert.Equal(1, await _direct.CountDocumentsAsync(new BsonDocument("_id", "a"), cancellationToken: Ct));
    }

    [Fact]
    public async Task Retried_update_increments_once_and_reports_the_first_result()
    {
        await _direct.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "n", 0 } }, cancellationToken: Ct);
        _proxy.DropReplyToNext("update");

        var result = await _items.UpdateOneAsync(new BsonDocument("_id", 1), new BsonDocument("$inc", new BsonDocument("n", 1)), cancellationToken: Ct);

        AssertRetriedOnce("update");
        Assert.Equal(1, result.MatchedCount);
        Assert.Equal(1, result.ModifiedCount);
        Assert.Equal(1, (await _direct.Find(new BsonDocument("_id", 1)).SingleAsync(Ct))["n"].AsInt32);
    }

    [Fact]
    public async Task Retried_upsert_inserts_once_and_reports_the_upserted_id()
    {
        _proxy.DropReplyToNext("update");

        var result = await _items.UpdateOneAsync(new BsonDocument("key", "k"), new BsonDocument("$inc", new BsonDocument("n", 1)), new UpdateOptions { IsUpsert = true }, Ct);

        AssertRetriedOnce("update");
        var stored = await _direct.Find(new BsonDocument("key", "k")).ToListAsync(Ct);
        Assert.Single(stored);
        Assert.Equal(stored[0]["_id"], result.UpsertedId);
        Assert.Equal(1, stored[0]["n"].AsInt32);
    }

    [Fact]
    public async Task Retried_delete_one_deletes_one_document()
    {
        await _direct.InsertManyAsync([new BsonDocument { { "_id", 1 }, { "k", 1 } }, new BsonDocument { { "_id", 2 }, { "k", 1 } }], cancellationToken: Ct);
        _proxy.DropReplyToNext("delete");

        var result = await _items.DeleteOneAsync(new BsonDocument("k", 1), Ct);

        AssertRetriedOnce("delete");
        Assert.Equal(1, result.DeletedCount);
        Assert.Equal(1, await _direct.CountDocumentsAsync(new BsonDocument("k", 1), cancellationToken: Ct));
    }

    [Fact]
    public async Task Retried_find_and_modify_increments_once_and_returns_the_first_value()
    {
        await _direct.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "n", 0 } }, cancellationToken: Ct);
        _proxy.DropReplyToNext("findAndModify");

        var returned = await _items.FindOneAndUpdateAsync(
            new BsonDocument("_id", 1),
            new BsonDocument("$inc", new BsonDocument("n", 1)),
            new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After },
            Ct);

        AssertRetriedOnce("findAndModify");
        Assert.Equal(1, returned["n"].AsInt32);
        Assert.Equal(1, (await _direct.Find(new BsonDocument("_id", 1)).SingleAsync(Ct))["n"].AsInt32);
    }

    [Fact]
    public async Task Retried_insert_many_inserts_each_document_once()
    {
        const int count = 200;
        _proxy.DropReplyToNext("insert");

        await _items.InsertManyAsync(Enumerable.Range(0, count).Select(i => new BsonDocument { { "_id", i }, { "v", i } }), cancellationToken: Ct);

        AssertRetriedOnce("insert");
        Assert.Equal(count, await _direct.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct));
    }

    [Fact]
    public async Task Retried_bulk_of_updates_increments_each_document_once()
    {
        const int count = 20;
        await _direct.InsertManyAsync(Enumerable.Range(0, count).Select(i => new BsonDocument { { "_id", i }, { "n", 0 } }), cancellationToken: Ct);
        _proxy.DropReplyToNext("update");

        var result = await _items.BulkWriteAsync(
            Enumerable.Range(0, count).Select(i => new UpdateOneModel<BsonDocument>(new BsonDocument("_id", i), new BsonDocument("$inc", new BsonDocument("n", 1)))),
            cancellationToken: Ct);

        AssertRetriedOnce("update");
        Assert.Equal(count, result.MatchedCount);
        Assert.Equal(count, result.ModifiedCount);
        var counters = await _direct.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Ct);
        Assert.All(counters, d => Assert.Equal(1, d["n"].AsInt32));
    }

    private void AssertRetriedOnce(string command)
    {
        Assert.Equal(1, _proxy.Dropped);
        Assert.Equal(2, _proxy.Seen(command));
    }
}
