using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.EmbeddedMongo;
using Monolith.EmbeddedMongo.Benchmarks;
using static Monolith.EmbeddedMongo.Benchmarks.Report;

// Measures the embedded server through MongoDB.Driver in one run and prints a markdown table with ratios.
//   dotnet run -c Release --project benchmarks/EmbeddedMongo.Benchmarks [-- --quick]
var quick = args.Contains("--quick");
if (args.Contains("--durability")) return await DurabilityBenchmark.RunAsync(quick);
var sequentialOps = quick ? 2_000 : 20_000;
var documents = quick ? 100_000 : 1_000_000;
var scans = quick ? 3 : 5;
var report = new Report();
var clock = Stopwatch.StartNew();

await using var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { Port = 0 });
var settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
settings.MaxConnectionPoolSize = 1; // one connection, sequential
using var client = new MongoClient(settings);
var database = client.GetDatabase("bench");
Console.WriteLine($"server on port {server.Port}; {(quick ? "quick" : "full")} run: {sequentialOps:N0} sequential ops each, {documents:N0} documents");

// 1. One connection, sequential round trips.
var admin = client.GetDatabase("admin");
var pingCommand = new BsonDocument("ping", 1);
var small = database.GetCollection<BsonDocument>("small");
await small.InsertManyAsync(Enumerable.Range(0, 10_000).Select(i => new BsonDocument { { "_id", i }, { "n", 0 }, { "name", $"item {i}" } }));
var inc = new BsonDocument("$inc", new BsonDocument("n", 1));
var sequential = await Latency.MeasureInterleavedAsync(500, sequentialOps, 10,
    _ => admin.RunCommandAsync<BsonDocument>(pingCommand),
    i => small.Find(new BsonDocument("_id", i % 10_000)).FirstOrDefaultAsync(),
    i => small.InsertOneAsync(new BsonDocument { { "_id", 100_000 + i }, { "n", 0 }, { "name", $"new {i}" } }),
    i => small.UpdateOneAsync(new BsonDocument("_id", i % 10_000), inc));
var (ping, findById, insertOne, updateOne) = (sequential[0], sequential[1], sequential[2], sequential[3]);

foreach (var (name, l) in new[] { ("ping", ping), ("find by _id", findById), ("insertOne", insertOne), ("updateOne by _id", updateOne) })
    report.Add($"{name}: ops/s, µs p50 / p99", $"{F(l.OpsPerSecond, "N0")} ops/s, {F(l.P50, "0")} / {F(l.Percentile(99), "0")} µs");
report.Ratio("find by _id / ping (p50)", findById.P50 / ping.P50, 1.5, lowerIsBetter: true);

// 2. Many small documents: insertMany throughput and memory per stored document.
var large = database.GetCollection<BsonDocument>("large");
const int Batch = 10_000;
BsonDocument Make(int i) => new() { { "_id", i }, { "k", i }, { "u", i }, { "g", i % 1000 }, { "s", $"name-{i:D7}" } };
var bsonSize = Make(documents / 2).ToBson().Length;
// The driver runs in this process too: warm its buffer pools (and the server's) with the same batches first, so
// the growth measured below is the stored documents', not the client's pooled buffers.
var warmUp = database.GetCollection<BsonDocument>("warm-up");
for (var start = 0; start < 3 * Batch; start += Batch)
    await warmUp.InsertManyAsync(Enumerable.Range(start, Batch).Select(Make));
await database.DropCollectionAsync("warm-up");
var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
var rssBefore = Process.GetCurrentProcess().WorkingSet64;
var insertClock = Stopwatch.StartNew();
for (var start = 0; start < documents; start += Batch)
    await large.InsertManyAsync(Enumerable.Range(start, Math.Min(Batch, documents - start)).Select(Make));
insertClock.Stop();
var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
var rssAfter = Process.GetCurrentProcess().WorkingSet64;
var heapPerDocument = (double)(heapAfter - heapBefore) / documents;
var rssPerDocument = (double)(rssAfter - rssBefore) / documents;
report.Add($"insertMany ({Batch:N0} per batch), {documents:N0} docs", $"{F(documents / insertClock.Elapsed.TotalSeconds, "N0")} docs/s");
report.Add("BSON size of one document", $"{bsonSize} bytes");
report.Add("GC heap growth per stored document", $"{F(heapPerDocument, "0")} bytes");
report.Add("RSS growth per stored document", $"{F(rssPerDocument, "0")} bytes");
report.Ratio("memory per document / BSON size (GC heap)", heapPerDocument / bsonSize, 2, lowerIsBetter: true);

// 3. Equality find without and with an index; indexed range + sort + limit vs find by _id.
var random = new Random(42);
var unindexed = await Latency.MeasureAsync(1, scans, _ => large.Find(new BsonDocument("u", random.Next(documents))).ToListAsync());
await large.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("k")));
var lookups = await Latency.MeasureInterleavedAsync(200, sequentialOps, 10,
    _ => large.Find(new BsonDocument("k", random.Next(documents))).ToListAsync(),
    _ => large.Find(new BsonDocument("_id", random.Next(documents))).FirstOrDefaultAsync(),
    _ =>
    {
        var from = random.Next(documents - 1000);
        return large.Find(new BsonDocument("k", new BsonDocument { { "$gte", from }, { "$lt", from + 1000 } }))
            .Sort(new BsonDocument("k", 1)).Limit(20).ToListAsync();
    });
var (indexed, largeById, rangeSortLimit) = (lookups[0], lookups[1], lookups[2]);
report.Add($"equality find on k, no index ({documents:N0} docs)", $"{F(unindexed.P50 / 1000, "0.0")} ms p50");
report.Add("equality find on k, indexed", $"{F(indexed.P50, "0")} µs p50");
report.Add("find by _id (large collection)", $"{F(largeById.P50, "0")} µs p50");
report.Add("indexed range + sort + limit 20", $"{F(rangeSortLimit.P50, "0")} µs p50");
report.Ratio("unindexed / indexed equality find (p50)", unindexed.P50 / indexed.P50, 100, lowerIsBetter: false);
report.Ratio("range + sort + limit 20 / find by _id (p50)", rangeSortLimit.P50 / largeById.P50, 3, lowerIsBetter: true);

var process = Process.GetCurrentProcess();
process.Refresh();
report.Add("process RSS at the end / peak", $"{F(process.WorkingSet64 / 1048576.0, "0")} MiB / {F(process.PeakWorkingSet64 / 1048576.0, "0")} MiB");
report.Add("GC heap at the end", $"{F(GC.GetTotalMemory(false) / 1048576.0, "0")} MiB");
report.Add("benchmark wall time", $"{F(clock.Elapsed.TotalSeconds, "0.0")} s");

Console.WriteLine();
Console.Write(report.ToMarkdown());
Console.WriteLine();
Console.WriteLine(report.Misses.Count == 0 ? "All targets met." : "Targets missed: " + string.Join("; ", report.Misses));
return 0;
