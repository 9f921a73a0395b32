using System.Runtime.CompilerServices;
using System.Text;
using MongoDB.Driver;
using Monolith.EmbeddedMongo.Tests;
using Xunit;

[assembly: AssemblyFixture(typeof(ServerFixture))]

namespace Monolith.EmbeddedMongo.Tests;

/// <summary>
/// One in-memory embedded server for the whole test assembly. Take it as a constructor parameter
/// and give every test its own database with <see cref="NewDatabase"/>, so tests can run in parallel.
/// Setting <see cref="ExternalServerVariable"/> to a connection string runs the same tests against that server
/// instead (e.g. a real mongod, to check that a test expects what MongoDB does).
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string ExternalServerVariable = "MONGO_TEST_URI";
    private static int _counter;
    private EmbeddedMongoServer? _server;
    private MongoClient? _client;
    private string? _connectionString;

    /// <summary>The embedded server (absent when the tests run against an external one).</summary>
    public EmbeddedMongoServer Server => _server ?? throw new InvalidOperationException(
        $"No embedded server: the tests run against {ExternalServerVariable} or the server has not started.");

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>A client shared by the tests (the driver pools connections; do not dispose it).</summary>
    public MongoClient Client => _client ?? throw new InvalidOperationException("The server has not started.");

    public async ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        if (string.IsNullOrEmpty(external))
        {
            _server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { Port = 0 });
            _connectionString = _server.ConnectionString;
        }
        else
        {
            _connectionString = external;
        }
        _client = CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    /// <summary>A new client with short timeouts, so that a server that stops answering fails a test instead of hanging it.</summary>
    public MongoClient CreateClient(Action<MongoClientSettings>? configure = null) =>
        CreateClient(ConnectionString, configure);

    public IMongoDatabase NewDatabase([CallerMemberName] string hint = "") => Client.GetDatabase(UniqueDatabaseName(hint));

    internal static MongoClient CreateClient(string connectionString, Action<MongoClientSettings>? configure = null)
    {
        var settings = MongoClientSettings.FromConnectionString(connectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        settings.ConnectTimeout = TimeSpan.FromSeconds(5);
        settings.SocketTimeout = TimeSpan.FromSeconds(60);
        configure?.Invoke(settings);
        return new MongoClient(settings);
    }

    /// <summary>A database name unique within this run, readable in server logs: the hint made safe plus a counter.</summary>
    public static string UniqueDatabaseName(string hint)
    {
        var safe = new StringBuilder();
        foreach (var c in hint)
            safe.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-' ? c : '_');
        var suffix = "_" + Interlocked.Increment(ref _counter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var prefix = safe.Length == 0 ? "test" : safe.ToString();
        if (prefix.Length + suffix.Length > 60)
            prefix = prefix[..(60 - suffix.Length)];
        return prefix + suffix;
    }
}

/// <summary>
/// A second server that answers as the primary of the single-member replica set "rs0", for tests that
/// need replica-set behaviour. Use it as a class fixture (<c>IClassFixture&lt;ReplicaSetServerFixture&gt;</c>).
/// </summary>
public sealed class ReplicaSetServerFixture : IAsyncLifetime
{
    public const string SetName = "rs0";
    private EmbeddedMongoServer? _server;
    private MongoClient? _client;

    public EmbeddedMongoServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public string ConnectionString => Server.ConnectionString;

    public MongoClient Client => _client ?? throw new InvalidOperationException("The server has not started.");

    public async ValueTask InitializeAsync()
    {
        _server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { Port = 0, ReplicaSetName = SetName });
        _client = ServerFixture.CreateClient(ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    public IMongoDatabase NewDatabase([CallerMemberName] string hint = "") =>
        Client.GetDatabase(ServerFixture.UniqueDatabaseName(hint));
}

/// <summary>
/// A server of its own for one test class (<c>IClassFixture&lt;OwnServerFixture&gt;</c>), for tests that should not
/// share the assembly server with hundreds of other tests' databases (Hangfire's timing-bound job processing).
/// </summary>
public sealed class OwnServerFixture : IAsyncLifetime
{
    private EmbeddedMongoServer? _server;

    public string ConnectionString => _server?.ConnectionString ?? throw new InvalidOperationException("The server has not started.");

    public async ValueTask InitializeAsync() => _server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { Port = 0 });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    public MongoClient CreateClient(Action<MongoClientSettings>? configure = null) => ServerFixture.CreateClient(ConnectionString, configure);
}

