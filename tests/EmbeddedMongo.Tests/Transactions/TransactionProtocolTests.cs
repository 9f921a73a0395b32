using MongoDB.Bson;
using Monolith.EmbeddedMongo.Tests.Sessions;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Transactions;

/// <summary>
/// The transaction fields as a driver sends them, written out by hand (the driver never sends a wrong txnNumber):
/// errors for stale or unknown transaction numbers and a repeated commit.
/// </summary>
public sealed class TransactionProtocolTests(ReplicaSetServerFixture fixture) : IClassFixture<ReplicaSetServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static BsonDocument Lsid(Guid id) => new("id", new BsonBinaryData(id, GuidRepresentation.Standard));

    private static BsonDocument InTransaction(BsonDocument command, BsonDocument lsid, long txnNumber, bool start = false)
    {
        command["lsid"] = lsid;
        command["txnNumber"] = txnNumber;
        if (start) command["startTransaction"] = true;
        command["autocommit"] = false;
        return command;
    }

    private static BsonDocument Insert(int id) => new() { { "insert", "items" }, { "documents", new BsonArray { new BsonDocument("_id", id) } } };

    [Fact]
    public async Task Commit_is_idempotent_and_stale_or_unknown_transaction_numbers_are_refused()
    {
        using var raw = await RawCommandClient.ConnectAsync(fixture.Server.Port, Ct);
        var db = ServerFixture.UniqueDatabaseName("txn_protocol");
        var lsid = Lsid(Guid.NewGuid());

        Assert.Equal(1.0, (await raw.RunAsync(db, InTransaction(Insert(1), lsid, 5, start: true), Ct))["ok"].ToDouble());
        var commit = await raw.RunAsync("admin", InTransaction(new BsonDocument("commitTransaction", 1), lsid, 5), Ct);
        var again = await raw.RunAsync("admin", InTransaction(new BsonDocument("commitTransaction", 1), lsid, 5), Ct);
        var tooOld = await raw.RunAsync(db, InTransaction(Insert(2), lsid, 4, start: true), Ct);
        var unknown = await raw.RunAsync(db, InTransaction(Insert(3), lsid, 6), Ct);
        var abortUnknown = await raw.RunAsync("admin", InTransaction(new BsonDocument("abortTransaction", 1), lsid, 7), Ct);

        Assert.Equal(1.0, commit["ok"].ToDouble());
        Assert.Equal(1.0, again["ok"].ToDouble());
        Assert.Equal(225, tooOld["code"].ToInt32());
        Assert.Equal("TransactionTooOld", tooOld["codeName"].AsString);
        Assert.Equal(251, unknown["code"].ToInt32());
        Assert.Contains("TransientTransactionError", unknown["errorLabels"].AsBsonArray.Select(l => l.AsString));
        Assert.Equal(251, abortUnknown["code"].ToInt32());
    }

    [Fact]
    public async Task A_command_after_an_aborted_transaction_gets_NoSuchTransaction_and_a_retryable_write_supersedes_a_transaction()
    {
        using var raw = await RawCommandClient.ConnectAsync(fixture.Server.Port, Ct);
        var db = ServerFixture.UniqueDatabaseName("txn_protocol");
        var lsid = Lsid(Guid.NewGuid());

        await raw.RunAsync(db, InTransaction(Insert(1), lsid, 1, start: true), Ct);
        var abort = await raw.RunAsync("admin", InTransaction(new BsonDocument("abortTransaction", 1), lsid, 1), Ct);
        var afterAbort = await raw.RunAsync(db, InTransaction(Insert(2), lsid, 1), Ct);
        await raw.RunAsync(db, InTransaction(Insert(3), lsid, 2, start: true), Ct);
        var retryable = Insert(4);
        retryable["lsid"] = lsid;
        retryable["txnNumber"] = 3L;
        var plain = await raw.RunAsync(db, retryable, Ct);
        var commitSuperseded = await raw.RunAsync("admin", InTransaction(new BsonDocument("commitTransaction", 1), lsid, 2), Ct);
        var count = await raw.RunAsync(db, new BsonDocument { { "find", "items" }, { "filter", new BsonDocument() } }, Ct);

        Assert.Equal(1.0, abort["ok"].ToDouble());
        Assert.Equal(251, afterAbort["code"].ToInt32());
        Assert.Equal(1, plain["n"].ToInt32());
        Assert.Equal(225, commitSuperseded["code"].ToInt32());
        Assert.Equal([new BsonDocument("_id", 4)], count["cursor"]["firstBatch"].AsBsonArray.Select(d => d.AsBsonDocument).ToList());
    }
}
