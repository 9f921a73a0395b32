using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.EmbeddedMongo.Tests.Sessions;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Transactions;

/// <summary>Commit retries, the idle-transaction reaper and errors for transactions that ended.</summary>
public sealed class TransactionLifecycleTests(ReplicaSetServerFixture fixture) : IClassFixture<ReplicaSetServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_commit_whose_reply_was_lost_is_retried_and_applied_once_and_committing_again_succeeds()
    {
        await using var proxy = new ReplyDroppingProxy(fixture.Server.Port);
        using var client = ServerFixture.CreateClient(proxy.ConnectionString, s => s.RetryWrites = true);
        var name = ServerFixture.UniqueDatabaseName("commit_retry");
        var items = client.GetDatabase(name).GetCollection<BsonDocument>("items");
        await items.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "n", 0 } }, cancellationToken: Ct);
        using var session = await client.StartSessionAsync(cancellationToken: Ct);
        session.StartTransaction();
        await items.UpdateOneAsync(session, new BsonDocument("_id", 1), new BsonDocument("$inc", new BsonDocument("n", 1)), cancellationToken: Ct);
        await items.InsertOneAsync(session, new BsonDocument("_id", 2), cancellationToken: Ct);
        proxy.DropReplyToNext("commitTransaction");

        await session.CommitTransactionAsync(Ct);

        Assert.Equal(1, proxy.Dropped);
        Assert.Equal(2, proxy.Seen("commitTransaction"));
        // The driver sends commitTransaction again when asked to commit a committed transaction: still ok, still once.
        await session.CommitTransactionAsync(Ct);
        Assert.Equal(3, proxy.Seen("commitTransaction"));
        var direct = fixture.Client.GetDatabase(name).GetCollection<BsonDocument>("items");
        Assert.Equal(1, (await direct.Find(new BsonDocument("_id", 1)).SingleAsync(Ct))["n"].AsInt32);
        Assert.Equal(2, await direct.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct));
    }

    [Fact]
    public async Task An_idle_transaction_is_aborted_after_the_lifetime_limit()
    {
        await using var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions
        {
            Port = 0,
            ReplicaSetName = "rs0",
            TransactionLifetimeLimit = TimeSpan.FromMilliseconds(300),
        }, Ct);
        using var client = ServerFixture.CreateClient(server.ConnectionString);
        var items = client.GetDatabase("idle").GetCollection<BsonDocument>("items");
        using var session = await client.StartSessionAsync(cancellationToken: Ct);
        session.StartTransaction();
        await items.InsertOneAsync(session, new BsonDocument { { "_id", 1 }, { "from", "transaction" } }, cancellationToken: Ct);

        // A plain insert of the same _id waits for the transaction to end; the reaper ends it.
        await items.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "from", "outside" } }, cancellationToken: Ct)
            .WaitAsync(TimeSpan.FromSeconds(20), Ct);

        var commit = await Assert.ThrowsAsync<MongoCommandException>(() => session.CommitTransactionAsync(Ct));
        Assert.Equal(251, commit.Code);
        Assert.Equal("NoSuchTransaction", commit.CodeName);
        Assert.True(commit.HasErrorLabel("TransientTransactionError"));
        Assert.Equal("outside", (await items.Find(new BsonDocument("_id", 1)).SingleAsync(Ct))["from"].AsString);
    }

    [Fact]
    public async Task A_transaction_that_keeps_working_is_not_reaped()
    {
        await using var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions
        {
            Port = 0,
            ReplicaSetName = "rs0",
            TransactionLifetimeLimit = TimeSpan.FromSeconds(2),
        }, Ct);
        using var client = ServerFixture.CreateClient(server.ConnectionString);
        var items = client.GetDatabase("busy").GetCollection<BsonDocument>("items");
        using var session = await client.StartSessionAsync(cancellationToken: Ct);
        session.StartTransaction();
        for (var i = 0; i < 20; i++) await items.InsertOneAsync(session, new BsonDocument("_id", i), cancellationToken: Ct);

        await session.CommitTransactionAsync(Ct);

        Assert.Equal(20, await items.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct));
    }

    [Fact]
    public async Task Transactions_need_a_replica_set()
    {
        await using var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { Port = 0 }, Ct);
        var client = new MongoClient(server.ConnectionString + "&serverSelectionTimeoutMS=5000");
        try
        {
            var items = client.GetDatabase("standalone").GetCollection<BsonDocument>("items");
            using var session = await client.StartSessionAsync(cancellationToken: Ct);
            // The driver itself refuses transactions on a standalone server, as it does with mongod.
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                session.StartTransaction();
                await items.InsertOneAsync(session, new BsonDocument("_id", 1), cancellationToken: Ct);
            });
        }
        finally
        {
            client.Dispose();
        }
    }
}
