using System.Collections.Concurrent;
using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Robustness;

[Collection(SerialCollection.Name)]
public sealed class ConcurrencyTests(ServerFixture server)
{
    [Fact(Timeout = 120_000)]
    public async Task A_hundred_connections_read_and_write_in_parallel()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = server.NewDatabase();
        var name = database.DatabaseNamespace.DatabaseName;
        const int Connections = 100;
        const int DocumentsEach = 20;

        // Distinct application names give distinct clients, hence at least one connection each.
        var clients = Enumerable.Range(0, Connections).Select(i => server.CreateClient(s =>
        {
            s.ApplicationName = $"parallel-{i}";
            s.MaxConnectionPoolSize = 2;
        })).ToList();
        try
        {
            using var start = new SemaphoreSlim(0, Connections);
            var workers = clients.Select((client, worker) => Task.Run(async () =>
            {
                await start.WaitAsync(ct);
                var collection = client.GetDatabase(name).GetCollection<BsonDocument>("shared");
                for (var i = 0; i < DocumentsEach; i++)
                {
                    var id = $"{worker}-{i}";
                    await collection.InsertOneAsync(new BsonDocument { { "_id", id }, { "worker", worker }, { "n", i } }, cancellationToken: ct);
                    var read = await collection.Find(new BsonDocument("_id", id)).SingleAsync(ct);
                    Assert.Equal(i, read["n"].AsInt32);
                    var updated = await collection.UpdateOneAsync(new BsonDocument("_id", id), new BsonDocument("$inc", new BsonDocument("n", 1000)), cancellationToken: ct);
                    Assert.Equal(1, updated.ModifiedCount);
                }
                var mine = await collection.Find(new BsonDocument("worker", worker)).ToListAsync(ct);
                Assert.Equal(DocumentsEach, mine.Count);
            }, ct)).ToList();
            start.Release(Connections);
            await Task.WhenAll(workers);
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }

        var all = database.GetCollection<BsonDocument>("shared");
        var stored = await all.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct);
        Assert.Equal(Connections * DocumentsEach, stored.Count);
        Assert.All(stored, d => Assert.True(d["n"].AsInt32 >= 1000, $"{d} missed its $inc"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Eight_clients_incrementing_one_document_lose_no_increment()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = server.NewDatabase();
        var name = database.DatabaseNamespace.DatabaseName;
        const int Clients = 8;
        const int IncrementsEach = 250;
        const int FindAndModifyEach = 50;
        await database.GetCollection<BsonDocument>("counter").InsertOneAsync(new BsonDocument { { "_id", "c" }, { "n", 0 }, { "m", 0 } }, cancellationToken: ct);

        var seen = new ConcurrentBag<int>();
        var clients = Enumerable.Range(0, Clients).Select(i => server.CreateClient(s => s.ApplicationName = $"inc-{i}")).ToList();
        try
        {
            await Task.WhenAll(clients.Select(client => Task.Run(async () =>
            {
                var counter = client.GetDatabase(name).GetCollection<BsonDocument>("counter");
                var filter = new BsonDocument("_id", "c");
                for (var i = 0; i < IncrementsEach; i++)
                {
                    var r = await counter.UpdateOneAsync(filter, new BsonDocument("$inc", new BsonDocument("n", 1)), cancellationToken: ct);
                    Assert.Equal(1, r.ModifiedCount);
                }
                for (var i = 0; i < FindAndModifyEach; i++)
                {
                    var after = await counter.FindOneAndUpdateAsync<BsonDocument>(filter, new BsonDocument("$inc", new BsonDocument("m", 1)),
                        new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After }, ct);
                    seen.Add(after["m"].ToInt32());
                }
            }, ct)));
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }

        var final = await database.GetCollection<BsonDocument>("counter").Find(new BsonDocument("_id", "c")).SingleAsync(ct);
        Assert.Equal(Clients * IncrementsEach, final["n"].ToInt32());
        Assert.Equal(Clients * FindAndModifyEach, final["m"].ToInt32());
        // Each findAndModify saw its own increment: the values returned are exactly 1..N, none twice.
        Assert.Equal(Enumerable.Range(1, Clients * FindAndModifyEach), seen.Order());
    }

    [Fact(Timeout = 60_000)]
    public async Task An_open_cursor_blocks_neither_writers_nor_other_readers()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = server.NewDatabase();
        var collection = database.GetCollection<BsonDocument>("items");
        await collection.InsertManyAsync(Enumerable.Range(0, 100).Select(i => new BsonDocument { { "_id", i }, { "v", i } }), cancellationToken: ct);

        using var readerClient = server.CreateClient(s => s.ApplicationName = "cursor-holder");
        var held = readerClient.GetDatabase(database.DatabaseNamespace.DatabaseName).GetCollection<BsonDocument>("items");
        using var cursor = await held.FindAsync(FilterDefinition<BsonDocument>.Empty,
            new FindOptions<BsonDocument> { BatchSize = 10, Sort = new BsonDocument("_id", 1) }, ct);
        Assert.True(await cursor.MoveNextAsync(ct));
        Assert.Equal(10, cursor.Current.Count());

        // While the cursor is open mid-way, another connection writes and reads the same collection.
        await collection.InsertOneAsync(new BsonDocument { { "_id", 1000 }, { "v", -1 } }, cancellationToken: ct);
        await collection.UpdateOneAsync(new BsonDocument("_id", 50), new BsonDocument("$set", new BsonDocument("touched", true)), cancellationToken: ct);
        Assert.Equal(101, (await collection.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct)).Count);

        var rest = new List<BsonDocument>();
        while (await cursor.MoveNextAsync(ct))
            rest.AddRange(cursor.Current);
        Assert.True(rest.Count >= 90, $"the cursor returned {rest.Count} more documents, expected at least 90");
    }

    [Fact(Timeout = 120_000)]
    public async Task Point_reads_are_served_while_a_long_collection_scan_runs_on_the_same_collection() =>
        await AssertPointReadsOverlapAsync("a full collection scan", (c, ct) =>
            c.Find(new BsonDocument("pad", "no such value")).ToListAsync(ct), TestContext.Current.CancellationToken);

    /// <summary>MongoDB yields during multi-document writes, so point reads go on while an updateMany runs.</summary>
    [Fact(Timeout = 120_000)]
    public async Task Point_reads_are_served_while_a_long_updateMany_runs_on_the_same_collection() =>
        await AssertPointReadsOverlapAsync("an updateMany", (c, ct) =>
            c.UpdateManyAsync(FilterDefinition<BsonDocument>.Empty, new BsonDocument("$inc", new BsonDocument("n", 1)), cancellationToken: ct),
            TestContext.Current.CancellationToken);

    /// <summary>Grows a collection until the long operation takes long enough to observe point reads overlapping it.</summary>
    private async Task AssertPointReadsOverlapAsync(string what, Func<IMongoCollection<BsonDocument>, CancellationToken, Task> longOperation, CancellationToken ct)
    {
        var database = server.NewDatabase();
        var collection = database.GetCollection<BsonDocument>("bulk");
        var total = 0;
        foreach (var size in new[] { 20_000, 80_000, 200_000 })
        {
            await collection.InsertManyAsync(
                Enumerable.Range(total, size - total).Select(i => new BsonDocument { { "_id", i }, { "n", 0 }, { "pad", "0123456789" } }),
                new InsertManyOptions { IsOrdered = false }, ct);
            total = size;

            using var readerClient = server.CreateClient(s => s.ApplicationName = "point-reader");
            var reader = readerClient.GetDatabase(database.DatabaseNamespace.DatabaseName).GetCollection<BsonDocument>("bulk");
            await reader.Find(new BsonDocument("_id", 7)).SingleAsync(ct); // connection warmed up

            var clock = Stopwatch.StartNew();
            var longDone = TimeSpan.Zero;
            var running = Task.Run(async () =>
            {
                await longOperation(collection, ct);
                longDone = clock.Elapsed;
            }, ct);
            var readsDuring = 0;
            var random = new Random(size);
            while (!running.IsCompleted)
            {
                var doc = await reader.Find(new BsonDocument("_id", random.Next(total))).SingleOrDefaultAsync(ct);
                Assert.NotNull(doc);
                if (!running.IsCompleted)
                    readsDuring++;
            }
            await running;

            if (longDone < TimeSpan.FromMilliseconds(300))
                continue;
            Assert.True(readsDuring >= 3,
                $"{what} over {total} documents took {longDone.TotalMilliseconds:0} ms and only {readsDuring} point read(s) completed meanwhile: readers wait for it");
            return;
        }
        Assert.Skip($"{what} over {total} documents finished in under 300 ms: too fast to observe whether readers wait for it");
    }
}
