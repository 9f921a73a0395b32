using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Transactions;

/// <summary>Multi-document transactions through MongoDB.Driver on a replica-set server: visibility, isolation, conflicts.</summary>
public sealed class TransactionTests(ReplicaSetServerFixture fixture) : IClassFixture<ReplicaSetServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static BsonDocument Doc(object id, string field, BsonValue value) => new() { { "_id", BsonValue.Create(id) }, { field, value } };

    private static FilterDefinition<BsonDocument> ById(object id) => new BsonDocument("_id", BsonValue.Create(id));

    [Fact]
    public async Task Committed_writes_are_invisible_before_commit_and_all_visible_after()
    {
        var items = fixture.NewDatabase().GetCollection<BsonDocument>("items");
        await items.InsertOneAsync(Doc(1, "v", 1), cancellationToken: Ct);
        using var session = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
        session.StartTransaction();

        await items.InsertManyAsync(session, [Doc(2, "v", 2), Doc(3, "v", 3)], cancellationToken: Ct);
        await items.UpdateOneAsync(session, ById(1), new BsonDocument("$set", new BsonDocument("v", 10)), cancellationToken: Ct);
        await items.DeleteOneAsync(session, ById(3), cancellationToken: Ct);

        var outside = await items.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Ct);
        Assert.Equal([Doc(1, "v", 1)], outside);
        var inside = await items.Find(session, FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("_id", 1)).ToListAsync(Ct);
        Assert.Equal([Doc(1, "v", 10), Doc(2, "v", 2)], inside);
        Assert.Equal(2, await items.CountDocumentsAsync(session, FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct));
        Assert.Equal(1, await items.CountDocumentsAsync(session, new BsonDocument("v", new BsonDocument("$gt", 5)), cancellationToken: Ct));

        await session.CommitTransactionAsync(Ct);

        var after = await items.Find(FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("_id", 1)).ToListAsync(Ct);
        Assert.Equal([Doc(1, "v", 10), Doc(2, "v", 2)], after);
    }

    [Fact]
    public async Task Abort_leaves_no_trace_including_unique_index_entries()
    {
        var users = fixture.NewDatabase().GetCollection<BsonDocument>("users");
        await users.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("email", 1), new CreateIndexOptions { Unique = true }), cancellationToken: Ct);
        await users.InsertOneAsync(Doc(1, "email", "old@x"), cancellationToken: Ct);
        using var session = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
        session.StartTransaction();
        await users.InsertOneAsync(session, Doc(2, "email", "new@x"), cancellationToken: Ct);
        await users.UpdateOneAsync(session, ById(1), new BsonDocument("$set", new BsonDocument("email", "changed@x")), cancellationToken: Ct);
        await users.DeleteOneAsync(session, ById(1), cancellationToken: Ct);

        await session.AbortTransactionAsync(Ct);

        Assert.Equal([Doc(1, "email", "old@x")], await users.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Ct));
        // Neither the inserted key nor the one the update would have freed is reserved or lost.
        await users.InsertOneAsync(Doc(3, "email", "new@x"), cancellationToken: Ct);
        var duplicate = await Assert.ThrowsAsync<MongoWriteException>(() => users.InsertOneAsync(Doc(4, "email", "old@x"), cancellationToken: Ct));
        Assert.Equal(ServerErrorCategory.DuplicateKey, duplicate.WriteError.Category);
        Assert.Equal(2, await users.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct));
    }

    [Fact]
    public async Task Unique_index_is_checked_against_the_transactions_own_writes()
    {
        var users = fixture.NewDatabase().GetCollection<BsonDocument>("users");
        await users.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("email", 1), new CreateIndexOptions { Unique = true }), cancellationToken: Ct);
        await users.InsertOneAsync(Doc(1, "email", "a@x"), cancellationToken: Ct);
        using var session = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
        session.StartTransaction();

        // Freeing a key and reusing it inside the transaction is fine; taking it twice is not.
        await users.UpdateOneAsync(session, ById(1), new BsonDocument("$set", new BsonDocument("email", "b@x")), cancellationToken: Ct);
        await users.InsertOneAsync(session, Doc(2, "email", "a@x"), cancellationToken: Ct);
        var duplicate = await Assert.ThrowsAsync<MongoWriteException>(() => users.InsertOneAsync(session, Doc(3, "email", "b@x"), cancellationToken: Ct));
        Assert.Equal(ServerErrorCategory.DuplicateKey, duplicate.WriteError.Category);

        // A write error aborts the transaction, as in mongod.
        var commit = await Assert.ThrowsAsync<MongoCommandException>(() => session.CommitTransactionAsync(Ct));
        Assert.Equal(251, commit.Code);
        Assert.Equal([Doc(1, "email", "a@x")], await users.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Ct));
    }

    [Fact]
    public async Task Outside_readers_see_old_values_and_the_transaction_reads_a_stable_snapshot()
    {
        var items = fixture.NewDatabase().GetCollection<BsonDocument>("items");
        var other = fixture.NewDatabase().GetCollection<BsonDocument>("other");
        await items.InsertManyAsync([Doc(1, "v", 1), Doc(2, "v", 2)], cancellationToken: Ct);
        await other.InsertOneAsync(Doc(1, "w", 1), cancellationToken: Ct);
        using var session = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
        session.StartTransaction(new TransactionOptions(readConcern: ReadConcern.Snapshot, writeConcern: WriteConcern.WMajority));
        Assert.Equal(2, (await items.Find(session, FilterDefinition<BsonDocument>.Empty).ToListAsync(Ct)).Count);
        await items.UpdateOneAsync(session, ById(1), new BsonDocument("$set", new BsonDocument("v", 100)), cancellationToken: Ct);

        // Others commit after the snapshot: an update, a delete, an insert, and a write to a collection not read yet.
        await items.UpdateOneAsync(ById(2), new BsonDocument("$set", new BsonDocument("v", 20)), cancellationToken: Ct);
        await items.InsertOneAsync(Doc(3, "v", 3), cancellationToken: Ct);
        await other.DeleteOneAsync(ById(1), cancellationToken: Ct);
        await other.InsertOneAsync(Doc(2, "w", 2), cancellationToken: Ct);
        Assert.Equal(1, (await items.Find(ById(1)).SingleAsync(Ct))["v"].AsInt32);

        var seen = await items.Find(session, FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("_id", 1)).ToListAsync(Ct);
        Assert.Equal([Doc(1, "v", 100), Doc(2, "v", 2)], seen);
        Assert.Empty(await items.Find(session, new BsonDocument("v", 20)).ToListAsync(Ct));
        Assert.Equal(2, (await items.Find(session, new BsonDocument("_id", 2)).SingleAsync(Ct))["v"].AsInt32);
        Assert.Equal([Doc(1, "w", 1)], await other.Find(session, FilterDefinition<BsonDocument>.Empty).ToListAsync(Ct));
        var grouped = await items.Aggregate(session).Group(new BsonDocument { { "_id", BsonNull.Value }, { "sum", new BsonDocument("$sum", "$v") } }).SingleAsync(Ct);
        Assert.Equal(102, grouped["sum"].ToInt32());

        await session.CommitTransactionAsync(Ct);
        var after = await items.Find(FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("_id", 1)).ToListAsync(Ct);
        Assert.Equal([Doc(1, "v", 100), Doc(2, "v", 20), Doc(3, "v", 3)], after);
    }

    [Fact]
    public async Task A_transaction_committed_by_another_client_in_between_is_invisible_to_an_open_transaction()
    {
        var accounts = fixture.NewDatabase().GetCollection<BsonDocument>("accounts");
        await accounts.InsertManyAsync([Doc("a", "balance", 100), Doc("b", "balance", 0)], cancellationToken: Ct);
        using var reader = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
        using var writer = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
        reader.StartTransaction();
        Assert.Equal(100, (await accounts.Find(reader, ById("a")).SingleAsync(Ct))["balance"].AsInt32);

        await writer.WithTransactionAsync(async (s, ct) =>
        {
            await accounts.UpdateOneAsync(s, ById("a"), new BsonDocument("$inc", new BsonDocument("balance", -30)), cancellationToken: ct);
            await accounts.UpdateOneAsync(s, ById("b"), new BsonDocument("$inc", new BsonDocument("balance", 30)), cancellationToken: ct);
            return true;
        }, cancellationToken: Ct);

        // The open transaction still sees the transfer not made, on both documents (the total stays 100).
        var seen = await accounts.Find(reader, FilterDefinition<BsonDocument>.Empty).ToListAsync(Ct);
        Assert.Equal(100, seen.Sum(d => d["balance"].AsInt32));
        Assert.Equal(0, (await accounts.Find(reader, ById("b")).SingleAsync(Ct))["balance"].AsInt32);
        var conflict = await Assert.ThrowsAsync<MongoCommandException>(() =>
            accounts.UpdateOneAsync(reader, ById("b"), new BsonDocument("$set", new BsonDocument("balance", 1)), cancellationToken: Ct));
        Assert.Equal(112, conflict.Code);
        var now = await accounts.Find(FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("_id", 1)).ToListAsync(Ct);
        Assert.Equal([Doc("a", "balance", 70), Doc("b", "balance", 30)], now);
    }

    [Fact]
    public async Task Second_writer_of_a_document_gets_a_transient_write_conflict_and_the_transaction_is_aborted()
    {
        var items = fixture.NewDatabase().GetCollection<BsonDocument>("items");
        await items.InsertOneAsync(Doc(1, "v", 0), cancellationToken: Ct);
        using var first = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
        using var second = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
        first.StartTransaction();
        second.StartTransaction();
        await items.UpdateOneAsync(first, ById(1), new BsonDocument("$inc", new BsonDocument("v", 1)), cancellationToken: Ct);

        var conflict = await Assert.ThrowsAsync<MongoCommandException>(() =>
            items.UpdateOneAsync(second, ById(1), new BsonDocument("$inc", new BsonDocument("v", 1)), cancellationToken: Ct));

        Assert.Equal(112, conflict.Code);
        Assert.Equal("WriteConflict", conflict.CodeName);
        Assert.True(conflict.HasErrorLabel("TransientTransactionError"));
        var afterConflict = await Assert.ThrowsAsync<MongoCommandException>(() => items.Find(second, ById(1)).ToListAsync(Ct));
        Assert.Equal(251, afterConflict.Code);
        Assert.True(afterConflict.HasErrorLabel("TransientTransactionError"));
        await first.CommitTransactionAsync(Ct);
        Assert.Equal(1, (await items.Find(ById(1)).SingleAsync(Ct))["v"].AsInt32);
    }

    [Fact]
    public async Task Writing_a_document_changed_after_the_snapshot_is_a_write_conflict()
    {
        var items = fixture.NewDatabase().GetCollection<BsonDocument>("items");
        await items.InsertManyAsync([Doc(1, "v", 0), Doc(2, "v", 0)], cancellationToken: Ct);
        using var session = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
        session.StartTransaction();
        await items.UpdateOneAsync(session, ById(2), new BsonDocument("$set", new BsonDocument("v", 1)), cancellationToken: Ct);
        await items.UpdateOneAsync(ById(1), new BsonDocument("$set", new BsonDocument("v", 5)), cancellationToken: Ct);

        var conflict = await Assert.ThrowsAsync<MongoCommandException>(() =>
            items.UpdateOneAsync(session, ById(1), new BsonDocument("$inc", new BsonDocument("v", 1)), cancellationToken: Ct));

        Assert.Equal(112, conflict.Code);
        Assert.True(conflict.HasErrorLabel("TransientTransactionError"));
        Assert.Equal(0, (await items.Find(ById(2)).SingleAsync(Ct))["v"].AsInt32);
    }

    [Fact]
    public async Task WithTransaction_retries_conflicts_so_concurrent_read_modify_write_increments_are_exact()
    {
        const int PerWriter = 15;
        var items = fixture.NewDatabase().GetCollection<BsonDocument>("counters");
        var log = items.Database.GetCollection<BsonDocument>("log");
        await items.InsertOneAsync(Doc("c", "n", 0), cancellationToken: Ct);

        async Task WriterAsync(int writer)
        {
            using var session = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
            for (var i = 0; i < PerWriter; i++)
            {
                await session.WithTransactionAsync(async (s, ct) =>
                {
                    // Read, then write what was read plus one: only snapshot isolation with conflict detection keeps this exact.
                    var current = (await items.Find(s, ById("c")).SingleAsync(ct))["n"].AsInt32;
                    await log.InsertOneAsync(s, new BsonDocument { { "writer", writer }, { "seen", current } }, cancellationToken: ct);
                    await items.UpdateOneAsync(s, ById("c"), new BsonDocument("$set", new BsonDocument("n", current + 1)), cancellationToken: ct);
                    return true;
                }, cancellationToken: Ct);
            }
        }

        await Task.WhenAll(Task.Run(() => WriterAsync(1), Ct), Task.Run(() => WriterAsync(2), Ct));

        Assert.Equal(2 * PerWriter, (await items.Find(ById("c")).SingleAsync(Ct))["n"].AsInt32);
        var seen = (await log.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Ct)).Select(d => d["seen"].AsInt32).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 2 * PerWriter).ToList(), seen);
    }

    [Fact]
    public async Task A_non_transactional_write_to_a_document_a_transaction_holds_waits_for_the_commit()
    {
        var items = fixture.NewDatabase().GetCollection<BsonDocument>("items");
        await items.InsertOneAsync(Doc(1, "v", 0), cancellationToken: Ct);
        using var session = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
        session.StartTransaction();
        await items.UpdateOneAsync(session, ById(1), new BsonDocument("$set", new BsonDocument("v", 10)), cancellationToken: Ct);

        var outside = Task.Run(() => items.UpdateOneAsync(ById(1), new BsonDocument("$inc", new BsonDocument("v", 1)), cancellationToken: Ct), Ct);
        // Another round trip of the transaction: the outside write is still waiting (it cannot complete before the commit).
        Assert.Equal(10, (await items.Find(session, ById(1)).SingleAsync(Ct))["v"].AsInt32);
        Assert.False(outside.IsCompleted);
        await session.CommitTransactionAsync(Ct);
        await outside.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(11, (await items.Find(ById(1)).SingleAsync(Ct))["v"].AsInt32);
    }

    [Fact]
    public async Task A_transaction_spans_two_databases_and_commits_or_aborts_both()
    {
        var orders = fixture.NewDatabase("orders").GetCollection<BsonDocument>("orders");
        var outbox = fixture.NewDatabase("outbox").GetCollection<BsonDocument>("outbox");
        using var session = await fixture.Client.StartSessionAsync(cancellationToken: Ct);

        session.StartTransaction();
        await orders.InsertOneAsync(session, Doc(1, "total", 5), cancellationToken: Ct);
        await outbox.InsertOneAsync(session, Doc("e1", "type", "OrderPlaced"), cancellationToken: Ct);
        await session.AbortTransactionAsync(Ct);
        Assert.Equal(0, await orders.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct));
        Assert.Equal(0, await outbox.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct));

        await session.WithTransactionAsync(async (s, ct) =>
        {
            await orders.InsertOneAsync(s, Doc(2, "total", 7), cancellationToken: ct);
            await outbox.InsertOneAsync(s, Doc("e2", "type", "OrderPlaced"), cancellationToken: ct);
            return true;
        }, cancellationToken: Ct);
        Assert.Equal([Doc(2, "total", 7)], await orders.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Ct));
        Assert.Equal([Doc("e2", "type", "OrderPlaced")], await outbox.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Ct));
    }

    [Fact]
    public async Task Commands_not_allowed_in_a_transaction_answer_OperationNotSupportedInTransaction()
    {
        var database = fixture.NewDatabase();
        var items = database.GetCollection<BsonDocument>("items");
        await items.InsertOneAsync(Doc(1, "v", 1), cancellationToken: Ct);
        using var session = await fixture.Client.StartSessionAsync(cancellationToken: Ct);

        session.StartTransaction();
        var createIndex = await Assert.ThrowsAsync<MongoCommandException>(() =>
            items.Indexes.CreateOneAsync(session, new CreateIndexModel<BsonDocument>(new BsonDocument("v", 1)), cancellationToken: Ct));
        Assert.Equal(263, createIndex.Code);
        Assert.Equal("OperationNotSupportedInTransaction", createIndex.CodeName);
        await session.AbortTransactionAsync(Ct);

        session.StartTransaction();
        var drop = await Assert.ThrowsAsync<MongoCommandException>(() => database.DropCollectionAsync(session, "items", Ct));
        Assert.Equal(263, drop.Code);
        await session.AbortTransactionAsync(Ct);

        session.StartTransaction();
        var count = await Assert.ThrowsAsync<MongoCommandException>(() =>
            database.RunCommandAsync<BsonDocument>(session, new BsonDocument("count", "items"), cancellationToken: Ct));
        Assert.Equal(263, count.Code);
        await session.AbortTransactionAsync(Ct);

        Assert.Equal(1, await items.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct));
    }

    [Fact]
    public async Task Inserting_into_a_new_collection_in_a_transaction_creates_it_implicitly()
    {
        var database = fixture.NewDatabase();
        var fresh = database.GetCollection<BsonDocument>("fresh");
        using var session = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
        session.StartTransaction();
        await fresh.InsertOneAsync(session, Doc(1, "v", 1), cancellationToken: Ct);
        await fresh.UpdateOneAsync(session, ById(2), new BsonDocument("$set", new BsonDocument("v", 2)), new UpdateOptions { IsUpsert = true }, Ct);
        Assert.Equal(0, await fresh.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct));

        await session.CommitTransactionAsync(Ct);

        Assert.Equal(2, await fresh.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct));
    }

    [Fact]
    public async Task A_collection_created_by_an_aborted_transaction_is_gone_again()
    {
        var database = fixture.NewDatabase();
        var fresh = database.GetCollection<BsonDocument>("fresh");
        using var session = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
        session.StartTransaction();
        await fresh.InsertOneAsync(session, Doc(1, "v", 1), cancellationToken: Ct);

        await session.AbortTransactionAsync(Ct);

        var names = await (await database.ListCollectionNamesAsync(cancellationToken: Ct)).ToListAsync(Ct);
        Assert.DoesNotContain("fresh", names);
    }

    [Fact]
    public async Task FindOneAndUpdate_and_FindOneAndDelete_work_inside_a_transaction()
    {
        var items = fixture.NewDatabase().GetCollection<BsonDocument>("items");
        await items.InsertManyAsync([Doc(1, "v", 1), Doc(2, "v", 2)], cancellationToken: Ct);
        using var session = await fixture.Client.StartSessionAsync(cancellationToken: Ct);
        session.StartTransaction();

        var updated = await items.FindOneAndUpdateAsync(session, ById(1), new BsonDocument("$inc", new BsonDocument("v", 10)),
            new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After }, Ct);
        var deleted = await items.FindOneAndDeleteAsync(session, new BsonDocument("v", new BsonDocument("$gt", 5)), cancellationToken: Ct);
        var upserted = await items.FindOneAndUpdateAsync(session, ById(3), new BsonDocument("$set", new BsonDocument("v", 3)),
            new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After }, Ct);
        var replaced = await items.UpdateManyAsync(session, FilterDefinition<BsonDocument>.Empty, new BsonDocument("$inc", new BsonDocument("v", 100)), cancellationToken: Ct);

        Assert.Equal(11, updated["v"].AsInt32);
        Assert.Equal(1, deleted["_id"].AsInt32);
        Assert.Equal(3, upserted["v"].AsInt32);
        Assert.Equal(2, replaced.ModifiedCount);
        await session.CommitTransactionAsync(Ct);
        var after = await items.Find(FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("_id", 1)).ToListAsync(Ct);
        Assert.Equal([Doc(2, "v", 102), Doc(3, "v", 103)], after);
    }

    [Fact]
    public async Task Change_streams_show_committed_transaction_writes_at_commit_with_their_txnNumber_and_never_aborted_ones()
    {
        var items = fixture.NewDatabase().GetCollection<BsonDocument>("items");
        await items.Database.CreateCollectionAsync("items", cancellationToken: Ct);
        using var stream = await items.WatchAsync(cancellationToken: Ct);
        using var session = await fixture.Client.StartSessionAsync(cancellationToken: Ct);

        session.StartTransaction();
        await items.InsertOneAsync(session, Doc("aborted", "v", 0), cancellationToken: Ct);
        await session.AbortTransactionAsync(Ct);
        session.StartTransaction();
        await items.InsertOneAsync(session, Doc(1, "v", 1), cancellationToken: Ct);
        await items.InsertOneAsync(session, Doc(2, "v", 2), cancellationToken: Ct);
        await session.CommitTransactionAsync(Ct);
        await items.InsertOneAsync(Doc("marker", "v", 3), cancellationToken: Ct);

        var events = new List<ChangeStreamDocument<BsonDocument>>();
        await Probe.UntilAsync(async () =>
        {
            if (await stream.MoveNextAsync(Ct)) events.AddRange(stream.Current);
            return events.Any(e => e.DocumentKey["_id"] == "marker");
        }, TimeSpan.FromSeconds(20), () => $"{events.Count} events so far", Ct, TimeSpan.FromMilliseconds(1));

        Assert.Equal(["1", "2", "marker"], events.Select(e => e.DocumentKey["_id"].ToString()!).ToList());
        Assert.All(events.Take(2), e =>
        {
            Assert.True(e.BackingDocument.Contains("txnNumber"));
            Assert.True(e.BackingDocument.Contains("lsid"));
        });
        Assert.Equal(events[0].ClusterTime, events[1].ClusterTime);
        Assert.False(events[2].BackingDocument.Contains("txnNumber"));
    }
}
