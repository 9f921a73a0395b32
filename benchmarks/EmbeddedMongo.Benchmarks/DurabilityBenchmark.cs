using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Driver;
using static Monolith.EmbeddedMongo.Benchmarks.Report;

namespace Monolith.EmbeddedMongo.Benchmarks;

/// <summary>
/// The cost of crash safety: insertOne throughput in memory vs on a dbpath (every reply waits for its log fsync) at 1
/// and 16 connections, start-up time after a crash and after a clean stop with 1,000,000 documents, and a transaction
/// of 10 small writes against the same 10 writes without one (replica-set mode, in memory and on a dbpath).
///   dotnet run -c Release --project benchmarks/EmbeddedMongo.Benchmarks -- --durability [--quick]
/// </summary>
internal static class DurabilityBenchmark
{
    public static async Task<int> RunAsync(bool quick)
    {
        var report = new Report();
        var duration = TimeSpan.FromSeconds(quick ? 2 : 5);
        var documents = quick ? 200_000 : 1_000_000;
        var root = Path.Combine(Path.GetTempPath(), "embedded-mongo-durability-bench", Guid.NewGuid().ToString("N"));
        try
        {
            // In memory and on disk are measured in alternating slices, so a change of machine load meanwhile affects both.
            var results = new Dictionary<(bool Disk, int Connections), double>();
            foreach (var connections in new[] { 1, 16 })
            {
                await using var memory = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions());
                await using var durable = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = Path.Combine(root, $"insert-{connections}") });
                var (inMemory, onDisk) = await InsertOneThroughputAsync(memory.ConnectionString, durable.ConnectionString, connections, duration);
                results[(false, connections)] = inMemory;
                results[(true, connections)] = onDisk;
            }
            foreach (var disk in new[] { false, true })
            {
                foreach (var connections in new[] { 1, 16 })
                    report.Add($"insertOne, {connections} connection(s), {(disk ? "dbpath (durable)" : "in memory")}", $"{F(results[(disk, connections)], "N0")} ops/s");
            }
            report.Add("durable / in-memory insertOne, 1 connection", $"{F(results[(true, 1)] / results[(false, 1)], "0.00")}x");
            report.Ratio("durable / in-memory insertOne, 16 connections", results[(true, 16)] / results[(false, 16)], 0.3, lowerIsBetter: false);

            foreach (var disk in new[] { false, true })
            {
                var options = new EmbeddedMongoOptions { ReplicaSetName = "rs0", DataPath = disk ? Path.Combine(root, "transactions") : null };
                await using var server = await EmbeddedMongoServer.StartAsync(options);
                var (plain, transaction) = await TenWritesAsync(server.ConnectionString, duration);
                var mode = disk ? "dbpath (durable)" : "in memory";
                report.Add($"10 writes without a transaction, 1 connection, {mode}", $"{F(plain.TotalMilliseconds, "0.00")} ms per 10 writes");
                report.Add($"10 writes in one transaction + commit, 1 connection, {mode}", $"{F(transaction.TotalMilliseconds, "0.00")} ms per transaction");
                report.Add($"transaction / plain time for 10 writes, {mode}", $"{F(transaction / plain, "0.00")}x");
            }

            var crashed = await RecoveryAfterCrashAsync(Path.Combine(root, "recovery"), documents);
            report.Add($"recovery after a crash, {documents:N0} docs all in the log", $"{F(crashed.TotalSeconds, "0.00")} s");
            var clean = await StartAfterCleanStopAsync(Path.Combine(root, "recovery-copy"), documents);
            report.Add($"start after a clean stop, {documents:N0} docs in the checkpoint", $"{F(clean.TotalSeconds, "0.00")} s");
            report.Target($"recovery after a crash, {documents:N0} docs, against its target", crashed.TotalSeconds, 10, lowerIsBetter: true, " s");
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
        Console.WriteLine();
        Console.Write(report.ToMarkdown());
        Console.WriteLine();
        Console.WriteLine(report.Misses.Count == 0 ? "All targets met." : "Targets missed: " + string.Join("; ", report.Misses));
        return 0;
    }

    /// <summary>insertOne throughput of two servers, measured in alternating 250 ms slices until each had <paramref name="duration"/>.</summary>
    private static async Task<(double First, double Second)> InsertOneThroughputAsync(string first, string second, int connections, TimeSpan duration)
    {
        MongoClient Client(string connectionString)
        {
            var settings = MongoClientSettings.FromConnectionString(connectionString);
            settings.MaxConnectionPoolSize = connections;
            settings.MinConnectionPoolSize = connections;
            return new MongoClient(settings);
        }
        using var firstClient = Client(first);
        using var secondClient = Client(second);
        var collections = new[] { firstClient, secondClient }.Select(c => c.GetDatabase("bench").GetCollection<BsonDocument>("insert")).ToArray();
        foreach (var collection in collections) await collection.InsertOneAsync(new BsonDocument("warm", true));
        var counts = new long[2];
        var elapsed = new TimeSpan[2];
        var slice = TimeSpan.FromMilliseconds(250);
        while (elapsed[1] < duration)
        {
            for (var which = 0; which < 2; which++)
            {
                var collection = collections[which];
                var clock = Stopwatch.StartNew();
                var done = await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
                {
                    var n = 0L;
                    while (clock.Elapsed < slice)
                    {
                        await collection.InsertOneAsync(new BsonDocument { { "c", c }, { "n", n }, { "name", $"item {c}-{n}" } });
                        n++;
                    }
                    return n;
                })));
                counts[which] += done.Sum();
                elapsed[which] += clock.Elapsed;
            }
        }
        return (counts[0] / elapsed[0].TotalSeconds, counts[1] / elapsed[1].TotalSeconds);
    }

    /// <summary>
    /// Mean time of 5 insertOne + 5 updateOne (by _id) alone, and of the same 10 writes in one transaction with its
    /// commit, alternating the two round by round until the plain rounds took <paramref name="duration"/>.
    /// </summary>
    private static async Task<(TimeSpan Plain, TimeSpan Transaction)> TenWritesAsync(string connectionString, TimeSpan duration)
    {
        using var client = new MongoClient(connectionString);
        var collection = client.GetDatabase("bench").GetCollection<BsonDocument>("transactions");
        await collection.InsertOneAsync(new BsonDocument("warm", true));
        using var session = await client.StartSessionAsync();
        var next = 0;
        async Task WritesAsync(IClientSessionHandle? s)
        {
            var first = next;
            for (var i = 0; i < 5; i++)
            {
                var document = new BsonDocument { { "_id", next++ }, { "n", 0 }, { "name", $"item {next}" } };
                if (s is null) await collection.InsertOneAsync(document);
                else await collection.InsertOneAsync(s, document);
            }
            for (var i = 0; i < 5; i++)
            {
                var filter = new BsonDocument("_id", first + i);
                var update = new BsonDocument("$inc", new BsonDocument("n", 1));
                if (s is null) await collection.UpdateOneAsync(filter, update);
                else await collection.UpdateOneAsync(s, filter, update);
            }
        }
        async Task TransactionAsync()
        {
            session.StartTransaction();
            await WritesAsync(session);
            await session.CommitTransactionAsync();
        }
        for (var i = 0; i < 20; i++)
        {
            await WritesAsync(null);
            await TransactionAsync();
        }
        // Alternating rounds, so a change of machine load meanwhile affects both.
        var plainTime = TimeSpan.Zero;
        var transactionTime = TimeSpan.Zero;
        var rounds = 0;
        while (plainTime < duration)
        {
            var clock = Stopwatch.StartNew();
            await WritesAsync(null);
            plainTime += clock.Elapsed;
            clock.Restart();
            await TransactionAsync();
            transactionTime += clock.Elapsed;
            rounds++;
        }
        var plain = plainTime / rounds;
        var transaction = transactionTime / rounds;
        return (plain, transaction);
    }

    /// <summary>Loads the documents with checkpoints held off, copies the files as a crash would leave them, and times start-up on the copy.</summary>
    private static async Task<TimeSpan> RecoveryAfterCrashAsync(string path, int documents)
    {
        await using (var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = path, CheckpointLogBytes = long.MaxValue }))
        {
            using var client = new MongoClient(server.ConnectionString);
            var collection = client.GetDatabase("bench").GetCollection<BsonDocument>("large");
            await collection.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("g", 1)));
            const int Batch = 10_000;
            for (var start = 0; start < documents; start += Batch)
                await collection.InsertManyAsync(Enumerable.Range(start, Math.Min(Batch, documents - start))
                    .Select(i => new BsonDocument { { "_id", i }, { "k", i }, { "g", i % 1000 }, { "s", $"name-{i:D7}" } }));
            Directory.CreateDirectory(path + "-copy");
            foreach (var file in Directory.GetFiles(path)) File.Copy(file, Path.Combine(path + "-copy", Path.GetFileName(file)));
        }
        var clock = Stopwatch.StartNew();
        await using (var recovered = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = path + "-copy" }))
        {
            clock.Stop();
            using var client = new MongoClient(recovered.ConnectionString);
            var count = await client.GetDatabase("bench").GetCollection<BsonDocument>("large").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty);
            if (count != documents) throw new InvalidOperationException($"recovered {count} documents, expected {documents}");
        }
        return clock.Elapsed;
    }

    /// <summary>The copy was stopped cleanly after recovery, so it now starts from its checkpoint alone.</summary>
    private static async Task<TimeSpan> StartAfterCleanStopAsync(string path, int documents)
    {
        var clock = Stopwatch.StartNew();
        await using var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = path });
        clock.Stop();
        using var client = new MongoClient(server.ConnectionString);
        var count = await client.GetDatabase("bench").GetCollection<BsonDocument>("large").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty);
        if (count != documents) throw new InvalidOperationException($"started with {count} documents, expected {documents}");
        return clock.Elapsed;
    }
}
