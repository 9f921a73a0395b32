using System.Collections.Concurrent;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.EmbeddedMongo.Tests.Durability;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Transactions;

/// <summary>
/// The standalone server on a dbpath (replica-set mode) is killed with SIGKILL while writers commit transactions of
/// many writes; after a restart every committed transaction is entirely there and no other is there at all.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class TransactionCrashTests : IDisposable
{
    private const int Rounds = 4;
    private const int Writers = 3;
    private const int InsertsPerTransaction = 100;
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "embedded-mongo-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataPath)) Directory.Delete(_dataPath, recursive: true);
    }

    [Fact]
    public async Task A_transaction_is_entirely_present_or_entirely_absent_after_kill_9()
    {
        var ct = TestContext.Current.CancellationToken;
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var committed = new ConcurrentBag<string>();
        for (var round = 0; round < Rounds; round++)
        {
            using var server = await DbPathServerProcess.StartAsync(_dataPath, ct, replicaSet: "rs0");
            using var client = CreateClient(server);
            await VerifyAsync(client.GetDatabase("crash"), committed, $"seed {seed}, before round {round}; {server.Describe()}", ct);

            var before = committed.Count;
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => CommitUntilKilledAsync(client, round, w, committed), ct)).ToArray();
            // Kill at a random moment once the writers are committing (start-up is slow on a loaded machine).
            await Probe.UntilAsync(() => committed.Count > before, TimeSpan.FromSeconds(60), () => $"no transaction committed in round {round}; {server.Describe()}", ct, TimeSpan.FromMilliseconds(10));
            await Task.Delay(random.Next(20, 400), ct);
            server.KillHard();
            await Task.WhenAll(writers);
        }
        using (var server = await DbPathServerProcess.StartAsync(_dataPath, ct, replicaSet: "rs0"))
        {
            using var client = CreateClient(server);
            await VerifyAsync(client.GetDatabase("crash"), committed, $"seed {seed}, after the last round; {server.Describe()}", ct);
        }
        Assert.True(committed.Count >= Rounds, $"only {committed.Count} transactions were committed in {Rounds} rounds");
        TestContext.Current.SendDiagnosticMessage($"{Rounds} kill -9 rounds, {committed.Count} committed transactions");
    }

    [Fact]
    public async Task A_transaction_whose_log_record_is_cut_short_is_recovered_entirely_absent()
    {
        var ct = TestContext.Current.CancellationToken;
        using (var server = await DbPathServerProcess.StartAsync(_dataPath, ct, replicaSet: "rs0"))
        {
            using var client = CreateClient(server);
            var docs = client.GetDatabase("app").GetCollection<BsonDocument>("docs");
            await docs.InsertOneAsync(new BsonDocument { { "_id", "before" }, { "v", 1 } }, cancellationToken: ct);
            using var session = await client.StartSessionAsync(cancellationToken: ct);
            session.StartTransaction();
            await docs.InsertManyAsync(session, Enumerable.Range(0, 200).Select(i => new BsonDocument { { "_id", i }, { "pad", new string('p', 40) } }), cancellationToken: ct);
            await docs.UpdateOneAsync(session, new BsonDocument("_id", "before"), new BsonDocument("$set", new BsonDocument("v", 2)), cancellationToken: ct);
            await session.CommitTransactionAsync(ct);
            server.KillHard();
        }
        var log = Directory.GetFiles(_dataPath, "wal-*.log").Order(StringComparer.Ordinal).Last();
        var length = new FileInfo(log).Length;

        // The transaction's record is the last one and larger than 200 * 40 bytes: these cuts all fall inside it.
        foreach (var cut in new long[] { 0, 3, 4000, 8000 })
        {
            var copy = _dataPath + "-cut" + cut;
            Directory.CreateDirectory(copy);
            foreach (var file in Directory.GetFiles(_dataPath)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            await using (var stream = new FileStream(Path.Combine(copy, Path.GetFileName(log)), FileMode.Open)) stream.SetLength(length - cut);

            await using (var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = copy }, ct))
            {
                using var client = ServerFixture.CreateClient(server.ConnectionString);
                var docs = client.GetDatabase("app").GetCollection<BsonDocument>("docs");
                var count = await docs.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct);
                var before = (await docs.Find(new BsonDocument("_id", "before")).SingleAsync(ct))["v"].AsInt32;
                if (cut == 0) Assert.Equal((201L, 2), (count, before));
                else Assert.Equal((1L, 1), (count, before));
            }
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>Each transaction inserts a batch of documents into one collection and counts it in another.</summary>
    private static async Task CommitUntilKilledAsync(MongoClient client, int round, int writer, ConcurrentBag<string> committed)
    {
        var database = client.GetDatabase("crash");
        var docs = database.GetCollection<BsonDocument>("docs");
        var batches = database.GetCollection<BsonDocument>("batches");
        try
        {
            using var session = await client.StartSessionAsync();
            for (var i = 0; ; i++)
            {
                var batch = $"r{round}-w{writer}-{i}";
                session.StartTransaction();
                for (var part = 0; part < 4; part++)
                {
                    var documents = Enumerable.Range(0, InsertsPerTransaction / 4)
                        .Select(k => new BsonDocument { { "_id", $"{batch}-{part}-{k}" }, { "batch", batch } }).ToList();
                    await docs.InsertManyAsync(session, documents);
                }
                await batches.InsertOneAsync(session, new BsonDocument { { "_id", batch }, { "size", InsertsPerTransaction } });
                await session.CommitTransactionAsync();
                committed.Add(batch);
            }
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException or IOException or InvalidOperationException)
        {
            // The server was killed: the transaction in flight is unacknowledged.
        }
    }

    private static async Task VerifyAsync(IMongoDatabase database, ConcurrentBag<string> committed, string context, CancellationToken ct)
    {
        var counts = (await database.GetCollection<BsonDocument>("docs").Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct))
            .GroupBy(d => d["batch"].AsString)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var recorded = (await database.GetCollection<BsonDocument>("batches").Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct))
            .Select(d => d["_id"].AsString).ToHashSet(StringComparer.Ordinal);
        foreach (var (batch, count) in counts)
        {
            Assert.True(count == InsertsPerTransaction, $"transaction {batch} is half there: {count} of {InsertsPerTransaction} documents ({context})");
            Assert.True(recorded.Contains(batch), $"transaction {batch} has its documents but not its batch record ({context})");
        }
        Assert.True(recorded.All(counts.ContainsKey), $"a batch record without its documents ({context})");
        var missing = committed.Where(b => !recorded.Contains(b)).Take(5).ToList();
        Assert.True(missing.Count == 0, $"committed transactions are missing, e.g. {string.Join(", ", missing)} ({context})");
    }

    private static MongoClient CreateClient(DbPathServerProcess server) =>
        ServerFixture.CreateClient(server.ConnectionString, s =>
        {
            s.RetryWrites = false;
            s.ServerSelectionTimeout = TimeSpan.FromSeconds(2);
            s.SocketTimeout = TimeSpan.FromSeconds(10);
        });
}
