using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Sessions;

/// <summary>Session fields sent as written: txnNumber ordering, retry records per session, endSessions.</summary>
public sealed class SessionCommandTests(ReplicaSetServerFixture fixture) : IClassFixture<ReplicaSetServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static BsonDocument Lsid(Guid id) => new("id", new BsonBinaryData(id, GuidRepresentation.Standard));

    private static BsonDocument Increment(string collection, BsonDocument lsid, long txnNumber) => new()
    {
        { "update", collection },
        { "updates", new BsonArray { new BsonDocument { { "q", new BsonDocument("_id", 1) }, { "u", new BsonDocument("$inc", new BsonDocument("n", 1)) } } } },
        { "lsid", lsid },
        { "txnNumber", txnNumber },
    };

    private async Task<(RawCommandClient Raw, string Database, IMongoCollection<BsonDocument> Counters)> CounterAsync(string hint)
    {
        var database = ServerFixture.UniqueDatabaseName(hint);
        var counters = fixture.Client.GetDatabase(database).GetCollection<BsonDocument>("counters");
        await counters.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "n", 0 } }, cancellationToken: Ct);
        return (await RawCommandClient.ConnectAsync(fixture.Server.Port, Ct), database, counters);
    }

    private static async Task<int> CounterValueAsync(IMongoCollection<BsonDocument> counters) =>
        (await counters.Find(new BsonDocument("_id", 1)).SingleAsync(Ct))["n"].AsInt32;

    [Fact]
    public async Task Same_txn_number_returns_the_recorded_result_and_a_lower_one_is_too_old()
    {
        var (raw, db, counters) = await CounterAsync("too_old");
        using var _ = raw;
        var lsid = Lsid(Guid.NewGuid());

        var first = await raw.RunAsync(db, Increment("counters", lsid, 5), Ct);
        var retry = await raw.RunAsync(db, Increment("counters", lsid, 5), Ct);
        var old = await raw.RunAsync(db, Increment("counters", lsid, 4), Ct);

        Assert.Equal(1.0, first["ok"].ToDouble());
        Assert.Equal((1, 1), (first["n"].ToInt32(), first["nModified"].ToInt32()));
        Assert.Equal((1, 1), (retry["n"].ToInt32(), retry["nModified"].ToInt32()));
        Assert.Equal(0.0, old["ok"].ToDouble());
        Assert.Equal(225, old["code"].ToInt32());
        Assert.Equal("TransactionTooOld", old["codeName"].AsString);
        Assert.Equal(1, await CounterValueAsync(counters));
    }

    [Fact]
    public async Task Same_txn_number_on_another_session_is_applied()
    {
        var (raw, db, counters) = await CounterAsync("other_session");
        using var _ = raw;

        await raw.RunAsync(db, Increment("counters", Lsid(Guid.NewGuid()), 1), Ct);
        var second = await raw.RunAsync(db, Increment("counters", Lsid(Guid.NewGuid()), 1), Ct);

        Assert.Equal(1, second["nModified"].ToInt32());
        Assert.Equal(2, await CounterValueAsync(counters));
    }

    [Fact]
    public async Task Concurrent_attempts_of_one_retryable_write_apply_it_once_and_all_report_it()
    {
        var (raw, db, counters) = await CounterAsync("concurrent_retries");
        raw.Dispose();
        var lsid = Lsid(Guid.NewGuid());
        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => RawCommandClient.ConnectAsync(fixture.Server.Port, Ct)));
        try
        {
            var replies = await Task.WhenAll(clients.Select(c => c.RunAsync(db, Increment("counters", lsid, 1), Ct)));

            Assert.All(replies, r => Assert.Equal((1, 1), (r["n"].ToInt32(), r["nModified"].ToInt32())));
            Assert.Equal(1, await CounterValueAsync(counters));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    [Fact]
    public async Task End_sessions_forgets_the_session_and_its_records()
    {
        var (raw, db, counters) = await CounterAsync("end_sessions");
        using var _ = raw;
        var lsid = Lsid(Guid.NewGuid());
        await raw.RunAsync(db, Increment("counters", lsid, 7), Ct);

        var ended = await raw.RunAsync("admin", new BsonDocument("endSessions", new BsonArray { lsid }), Ct);
        var older = await raw.RunAsync(db, Increment("counters", lsid, 3), Ct);
        var again = await raw.RunAsync(db, Increment("counters", lsid, 7), Ct);

        Assert.Equal(1.0, ended["ok"].ToDouble());
        Assert.Equal(1.0, older["ok"].ToDouble());
        Assert.Equal(1.0, again["ok"].ToDouble());
        Assert.Equal(1, again["nModified"].ToInt32());
        Assert.Equal(3, await CounterValueAsync(counters));
    }

    [Fact]
    public async Task A_retry_executes_only_the_statements_that_failed_the_first_time()
    {
        var database = ServerFixture.UniqueDatabaseName("partial_retry");
        var items = fixture.Client.GetDatabase(database).GetCollection<BsonDocument>("items");
        await items.InsertOneAsync(new BsonDocument("_id", 2), cancellationToken: Ct);
        using var raw = await RawCommandClient.ConnectAsync(fixture.Server.Port, Ct);
        var insert = new BsonDocument
        {
            { "insert", "items" },
            { "documents", new BsonArray { new BsonDocument("_id", 1), new BsonDocument("_id", 2), new BsonDocument("_id", 3) } },
            { "ordered", false },
            { "lsid", Lsid(Guid.NewGuid()) },
            { "txnNumber", 1L },
        };

        var first = await raw.RunAsync(database, insert, Ct);
        await items.DeleteOneAsync(new BsonDocument("_id", 2), Ct);
        var retry = await raw.RunAsync(database, insert, Ct);

        Assert.Equal(2, first["n"].ToInt32());
        Assert.Equal(1, first["writeErrors"][0]["index"].ToInt32());
        Assert.Equal(11000, first["writeErrors"][0]["code"].ToInt32());
        Assert.Equal(3, retry["n"].ToInt32());
        Assert.False(retry.Contains("writeErrors"));
        Assert.Equal(3, await items.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct));
    }

    [Fact]
    public async Task Refresh_sessions_answers_and_a_txn_number_needs_a_retryable_write()
    {
        using var raw = await RawCommandClient.ConnectAsync(fixture.Server.Port, Ct);
        var lsid = Lsid(Guid.NewGuid());

        var refreshed = await raw.RunAsync("admin", new BsonDocument("refreshSessions", new BsonArray { lsid }), Ct);
        var find = await raw.RunAsync("test", new BsonDocument { { "find", "x" }, { "lsid", lsid }, { "txnNumber", 1L } }, Ct);
        var noSession = await raw.RunAsync("test", new BsonDocument { { "insert", "x" }, { "documents", new BsonArray { new BsonDocument() } }, { "txnNumber", 1L } }, Ct);

        Assert.Equal(1.0, refreshed["ok"].ToDouble());
        Assert.Equal(50768, find["code"].ToInt32());
        Assert.Equal(72, noSession["code"].ToInt32());
    }
}
