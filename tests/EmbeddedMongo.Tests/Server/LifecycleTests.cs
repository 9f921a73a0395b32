using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Server;

/// <summary>Starting, stopping and restarting the server, in process and as the standalone executable.</summary>
public sealed class LifecycleTests : IDisposable
{
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "embedded-mongo-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataPath)) Directory.Delete(_dataPath, recursive: true);
    }

    [Fact]
    public async Task Data_and_indexes_in_a_dbpath_survive_a_clean_stop_and_start()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var first = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = _dataPath }, ct))
        {
            using var client = ServerFixture.CreateClient(first.ConnectionString);
            var c = client.GetDatabase("app").GetCollection<BsonDocument>("users");
            await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("email", 1), new CreateIndexOptions { Unique = true }), cancellationToken: ct);
            await c.InsertManyAsync(Enumerable.Range(0, 100).Select(i => new BsonDocument { { "_id", i }, { "email", $"u{i}@x" }, { "tags", new BsonArray { i, "t" } } }), cancellationToken: ct);
            await c.DeleteOneAsync(new BsonDocument("_id", 5), ct);
            await client.GetDatabase("other").GetCollection<BsonDocument>("dropped").InsertOneAsync(new BsonDocument(), cancellationToken: ct);
            await client.GetDatabase("other").DropCollectionAsync("dropped", ct);
        }

        await using var second = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = _dataPath }, ct);
        using var again = ServerFixture.CreateClient(second.ConnectionString);
        var users = again.GetDatabase("app").GetCollection<BsonDocument>("users");

        Assert.Equal(99, await users.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
        Assert.Equal(new BsonArray { 7, "t" }, (await users.Find(new BsonDocument("_id", 7)).SingleAsync(ct))["tags"]);
        var duplicate = await Assert.ThrowsAsync<MongoWriteException>(() => users.InsertOneAsync(new BsonDocument("email", "u1@x"), cancellationToken: ct));
        Assert.Equal(11000, duplicate.WriteError.Code);
        Assert.DoesNotContain("dropped", await (await again.GetDatabase("other").ListCollectionNamesAsync(cancellationToken: ct)).ToListAsync(ct));
    }

    [Fact]
    public async Task A_data_directory_from_a_newer_format_is_refused_with_a_clear_message()
    {
        Directory.CreateDirectory(_dataPath);
        await File.WriteAllTextAsync(Path.Combine(_dataPath, "storage.version"), "999", TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { DataPath = _dataPath }, TestContext.Current.CancellationToken));

        Assert.Contains("newer", error.Message);
    }

    [Fact]
    public async Task In_replica_set_mode_the_driver_sees_a_primary_of_the_named_set()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { ReplicaSetName = "rs9" }, ct);
        using var client = ServerFixture.CreateClient(server.ConnectionString);

        await client.GetDatabase("x").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: ct);
        var hello = await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: ct);

        Assert.Equal(ClusterType.ReplicaSet, client.Cluster.Description.Type);
        Assert.Equal("rs9", hello["setName"].AsString);
        Assert.True(hello["isWritablePrimary"].AsBoolean);
        Assert.Equal(hello["me"], hello["primary"]);
        Assert.True(hello["maxWireVersion"].AsInt32 >= 17);
        Assert.Equal(30, hello["logicalSessionTimeoutMinutes"].AsInt32);
    }

    [Fact]
    public async Task The_standalone_executable_serves_the_driver_on_the_given_port_and_keeps_data_across_restarts()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort();
        using (var process = await StartStandaloneAsync(port, ct))
        {
            using var client = ServerFixture.CreateClient($"mongodb://127.0.0.1:{port}/?directConnection=true");
            await client.GetDatabase("app").GetCollection<BsonDocument>("c").InsertOneAsync(new BsonDocument("_id", "kept"), cancellationToken: ct);
            await StopAsync(process, ct);
            Assert.Equal(0, process.ExitCode);
        }
        using (var process = await StartStandaloneAsync(port, ct))
        {
            using var client = ServerFixture.CreateClient($"mongodb://127.0.0.1:{port}/?directConnection=true");
            var found = await client.GetDatabase("app").GetCollection<BsonDocument>("c").Find(new BsonDocument("_id", "kept")).CountDocumentsAsync(ct);
            await StopAsync(process, ct);
            Assert.Equal(1, found);
        }
    }

    [Fact]
    public async Task The_standalone_executable_rejects_unknown_flags()
    {
        var ct = TestContext.Current.CancellationToken;
        using var process = Process.Start(StartInfo("--no-such-flag"))!;
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        var stderr = await process.StandardError.ReadToEndAsync(ct);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("unknown option --no-such-flag", stderr);
    }

    private async Task<Process> StartStandaloneAsync(int port, CancellationToken ct)
    {
        var process = Process.Start(StartInfo("--port", port.ToString(), "--dbpath", _dataPath))!;
        var listening = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("listening", StringComparison.OrdinalIgnoreCase) == true) listening.TrySetResult();
        };
        process.BeginOutputReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        return process;
    }

    private static ProcessStartInfo StartInfo(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Monolith.EmbeddedMongo.Server.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return info;
    }

    private static async Task StopAsync(Process process, CancellationToken ct)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync(ct);
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
