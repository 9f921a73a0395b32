using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Durability;

/// <summary>
/// The standalone server on a dbpath is killed with SIGKILL at a random moment while several writers run; after a
/// restart every acknowledged write must be there and nothing may be half there.
/// </summary>
public sealed class KillNineTests : IDisposable
{
    private const int Rounds = 20;
    private const int Writers = 4;
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "embedded-mongo-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataPath)) Directory.Delete(_dataPath, recursive: true);
    }

    [Fact]
    public async Task Every_acknowledged_write_survives_kill_9_and_no_unacknowledged_write_is_half_applied()
    {
        var ct = TestContext.Current.CancellationToken;
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var acknowledged = new ConcurrentBag<string>();
        var counters = new long[Writers];
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            using var server = await DbPathServerProcess.StartAsync(_dataPath, ct);
            using var client = CreateClient(server);
            var collection = client.GetDatabase("crash").GetCollection<BsonDocument>("docs");
            await VerifyAsync(collection, acknowledged, counters, $"seed {seed}, before round {round}; {server.Describe()}", ct);

            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteUntilKilledAsync(collection, round, w, acknowledged, counters), ct)).ToArray();
            await Task.Delay(random.Next(50, 400), ct);
            server.KillHard();
            await Task.WhenAll(writers);
        }
        using (var server = await DbPathServerProcess.StartAsync(_dataPath, ct))
        {
            using var client = CreateClient(server);
            await VerifyAsync(client.GetDatabase("crash").GetCollection<BsonDocument>("docs"), acknowledged, counters, $"seed {seed}, after the last round; {server.Describe()}", ct);
        }
        Assert.True(acknowledged.Count > Rounds, $"only {acknowledged.Count} writes were acknowledged in {Rounds} rounds");
        TestContext.Current.SendDiagnosticMessage($"{Rounds} kill -9 rounds, {acknowledged.Count} acknowledged inserts, {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// Alternates inserts of self-checking documents with updates that set two fields that must agree, recording
    /// what was acknowledged, until the server dies.
    /// </summary>
    private static async Task WriteUntilKilledAsync(IMongoCollection<BsonDocument> collection, int round, int writer, ConcurrentBag<string> acknowledged, long[] counters)
    {
        var random = new Random(round * 31 + writer);
        try
        {
            for (var i = 0; ; i++)
            {
                if (i % 3 == 2)
                {
                    var next = Volatile.Read(ref counters[writer]) + 1;
                    await collection.UpdateOneAsync(new BsonDocument("_id", $"counter-{writer}"),
                        new BsonDocument("$set", new BsonDocument { { "a", next }, { "b", next } }), new UpdateOptions { IsUpsert = true });
                    Volatile.Write(ref counters[writer], next);
                    continue;
                }
                var batch = Enumerable.Range(0, 1 + random.Next(3)).Select(k => Document($"r{round}-w{writer}-{i}-{k}", random)).ToList();
                if (batch.Count == 1) await collection.InsertOneAsync(batch[0]);
                else await collection.InsertManyAsync(batch);
                foreach (var document in batch) acknowledged.Add(document["_id"].AsString);
            }
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException or IOException)
        {
            // The server was killed: whatever was in flight is unacknowledged.
        }
    }

    private static BsonDocument Document(string id, Random random)
    {
        var payload = new string((char)('a' + random.Next(26)), 20 + random.Next(400));
        return new BsonDocument { { "_id", id }, { "payload", payload }, { "sum", Checksum(payload) } };
    }

    private static string Checksum(string payload) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(payload)))[..16];

    private static async Task VerifyAsync(IMongoCollection<BsonDocument> collection, ConcurrentBag<string> acknowledged, long[] counters, string context, CancellationToken ct)
    {
        var stored = await collection.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var w = 0; w < Writers; w++)
        {
            var counter = stored.SingleOrDefault(d => d["_id"] == $"counter-{w}");
            if (counter is null)
            {
                Assert.True(counters[w] == 0, $"counter-{w} acknowledged at {counters[w]} is missing ({context})");
                continue;
            }
            Assert.True(counter["a"] == counter["b"], $"counter-{w} is half updated: {counter} ({context})");
            var value = counter["a"].ToInt64();
            Assert.True(value == counters[w] || value == counters[w] + 1, $"counter-{w} is {value}, acknowledged {counters[w]} ({context})");
            counters[w] = value;
        }
        foreach (var document in stored.Where(d => d["_id"].AsString.StartsWith('r')))
        {
            Assert.True(document["sum"] == Checksum(document["payload"].AsString), $"document {document["_id"]} is damaged ({context})");
            ids.Add(document["_id"].AsString);
        }
        var missing = acknowledged.Where(id => !ids.Contains(id)).Take(5).ToList();
        Assert.True(missing.Count == 0, $"acknowledged inserts are missing, e.g. {string.Join(", ", missing)} ({context})");
    }

    private static MongoClient CreateClient(DbPathServerProcess server) =>
        ServerFixture.CreateClient(server.ConnectionString, s =>
        {
            s.RetryWrites = false;
            s.ServerSelectionTimeout = TimeSpan.FromSeconds(2);
            s.SocketTimeout = TimeSpan.FromSeconds(10);
        });
}
