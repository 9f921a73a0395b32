using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Durability;

/// <summary>What start-up does with a damaged, checkpointed or old-format data directory.</summary>
public sealed class RecoveryTests : IDisposable
{
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "embedded-mongo-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataPath)) Directory.Delete(_dataPath, recursive: true);
        if (Directory.Exists(_dataPath + "-copy")) Directory.Delete(_dataPath + "-copy", recursive: true);
    }

    [Fact]
    public async Task Garbage_appended_to_the_log_is_discarded_and_every_earlier_write_is_kept()
    {
        var ct = TestContext.Current.CancellationToken;
        await WriteThenKillAsync(50, ct);
        var log = NewestLog(_dataPath);
        var intactLength = new FileInfo(log).Length;
        var garbage = new byte[100];
        new Random(7).NextBytes(garbage);
        garbage[0] = 60; // a plausible length prefix, so the tail looks like the start of a record
        garbage[1] = garbage[2] = garbage[3] = 0;
        await using (var stream = new FileStream(log, FileMode.Append)) await stream.WriteAsync(garbage, ct);

        await using (var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = _dataPath }, ct))
        {
            using var client = ServerFixture.CreateClient(server.ConnectionString);
            var docs = client.GetDatabase("app").GetCollection<BsonDocument>("c");
            Assert.Equal(50, await docs.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
            Assert.Equal(intactLength, new FileInfo(log).Length);
            await docs.InsertOneAsync(new BsonDocument("_id", "after"), cancellationToken: ct);
        }
        await using var again = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = _dataPath }, ct);
        using var second = ServerFixture.CreateClient(again.ConnectionString);
        Assert.Equal(51, await second.GetDatabase("app").GetCollection<BsonDocument>("c").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
    }

    [Fact]
    public async Task A_record_cut_short_at_the_end_of_the_log_is_never_half_applied()
    {
        var ct = TestContext.Current.CancellationToken;
        await WriteThenKillAsync(10, ct);
        var log = NewestLog(_dataPath);
        await using (var stream = new FileStream(log, FileMode.Open)) stream.SetLength(stream.Length - 3);

        await using var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = _dataPath }, ct);
        using var client = ServerFixture.CreateClient(server.ConnectionString);
        var ids = await client.GetDatabase("app").GetCollection<BsonDocument>("c").Find(FilterDefinition<BsonDocument>.Empty)
            .Project(new BsonDocument("_id", 1)).ToListAsync(ct);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => (BsonValue)i), ids.Select(d => d["_id"]).OrderBy(v => v.AsInt32));
    }

    [Fact]
    public async Task A_corrupt_record_in_the_middle_of_the_log_refuses_start_up_with_a_clear_message()
    {
        var ct = TestContext.Current.CancellationToken;
        await WriteThenKillAsync(20, ct);
        var log = NewestLog(_dataPath);
        var bytes = await File.ReadAllBytesAsync(log, ct);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(log, bytes, ct);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = _dataPath }, ct));

        Assert.Contains("corrupt", error.Message);
        Assert.Contains(Path.GetFileName(log), error.Message);
    }

    [Fact]
    public async Task Checkpoints_keep_the_log_short_and_recovery_from_checkpoint_plus_log_restores_every_write()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new EmbeddedMongoOptions { DataPath = _dataPath, CheckpointLogBytes = 64 * 1024 };
        await using var server = await EmbeddedMongoServer.StartAsync(options, ct);
        using var client = ServerFixture.CreateClient(server.ConnectionString);
        var docs = client.GetDatabase("app").GetCollection<BsonDocument>("c");
        await docs.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("k", 1), new CreateIndexOptions { Unique = true }), cancellationToken: ct);
        for (var i = 0; i < 3000; i += 100)
            await docs.InsertManyAsync(Enumerable.Range(i, 100).Select(n => new BsonDocument { { "_id", n }, { "k", n }, { "pad", new string('x', 100) } }), cancellationToken: ct);
        await docs.DeleteManyAsync(new BsonDocument("_id", new BsonDocument("$lt", 100)), ct);
        await docs.UpdateManyAsync(new BsonDocument("_id", new BsonDocument("$gte", 2900)), new BsonDocument("$set", new BsonDocument("updated", true)), cancellationToken: ct);
        await client.GetDatabase("app").RenameCollectionAsync("c", "renamed", cancellationToken: ct);

        // A copy of the files of a running server is what a crash leaves behind (every write above was acknowledged).
        var copy = await CopyWhenSettledAsync(_dataPath, ct);
        Assert.True(Directory.GetFiles(_dataPath, "checkpoint-*.ckpt").Length >= 1, "no checkpoint was taken");
        Assert.True(Directory.GetFiles(_dataPath, "wal-*.log").Length <= 2, "old log segments were not deleted");

        await using var recovered = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = copy }, ct);
        using var second = ServerFixture.CreateClient(recovered.ConnectionString);
        var renamed = second.GetDatabase("app").GetCollection<BsonDocument>("renamed");
        Assert.Equal(2900, await renamed.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
        Assert.Equal(100, await renamed.CountDocumentsAsync(new BsonDocument("updated", true), cancellationToken: ct));
        var duplicate = await Assert.ThrowsAsync<MongoWriteException>(() => renamed.InsertOneAsync(new BsonDocument("k", 500), cancellationToken: ct));
        Assert.Equal(11000, duplicate.WriteError.Code);
        Assert.DoesNotContain("c", await (await second.GetDatabase("app").ListCollectionNamesAsync(cancellationToken: ct)).ToListAsync(ct));
    }

    [Fact]
    public async Task A_data_directory_of_format_version_1_is_upgraded_and_keeps_its_data()
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(Path.Combine(_dataPath, "app"));
        await File.WriteAllTextAsync(Path.Combine(_dataPath, "storage.version"), "1", ct);
        await using (var file = File.Create(Path.Combine(_dataPath, "app", "old.col")))
        {
            var header = new BsonDocument
            {
                { "options", new BsonDocument() },
                { "indexes", new BsonArray { new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } } } },
            };
            await file.WriteAsync(header.ToBson(), ct);
            await file.WriteAsync(new BsonDocument { { "_id", 1 }, { "v", "kept" } }.ToBson(), ct);
        }

        await using (var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = _dataPath }, ct))
        {
            using var client = ServerFixture.CreateClient(server.ConnectionString);
            var found = await client.GetDatabase("app").GetCollection<BsonDocument>("old").Find(new BsonDocument("_id", 1)).SingleAsync(ct);
            Assert.Equal("kept", found["v"].AsString);
        }

        Assert.Equal("2", (await File.ReadAllTextAsync(Path.Combine(_dataPath, "storage.version"), ct)).Trim());
        Assert.Empty(Directory.GetFiles(_dataPath, "*.col", SearchOption.AllDirectories));
    }

    private async Task WriteThenKillAsync(int count, CancellationToken ct)
    {
        using var server = await DbPathServerProcess.StartAsync(_dataPath, ct);
        using (var client = ServerFixture.CreateClient(server.ConnectionString))
        {
            var docs = client.GetDatabase("app").GetCollection<BsonDocument>("c");
            for (var i = 0; i < count; i++) await docs.InsertOneAsync(new BsonDocument { { "_id", i }, { "pad", new string('p', 50) } }, cancellationToken: ct);
        }
        server.KillHard();
    }

    private static string NewestLog(string path) => Directory.GetFiles(path, "wal-*.log").Order(StringComparer.Ordinal).Last();

    /// <summary>Copies the directory once no checkpoint is being written (a .tmp file is one in progress).</summary>
    private static async Task<string> CopyWhenSettledAsync(string path, CancellationToken ct)
    {
        var copy = path + "-copy";
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                if (Directory.GetFiles(path, "*.tmp").Length == 0)
                {
                    if (Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
                    Directory.CreateDirectory(copy);
                    foreach (var file in Directory.GetFiles(path)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
                    if (Directory.GetFiles(path, "*.tmp").Length == 0) return copy;
                }
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("a checkpoint did not finish");
            await Task.Delay(50, ct);
        }
    }
}
