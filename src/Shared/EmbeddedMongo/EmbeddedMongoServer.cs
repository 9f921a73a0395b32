namespace Monolith.EmbeddedMongo;

/// <summary>A MongoDB-compatible server running in this process, reachable over TCP by any MongoDB driver.</summary>
public sealed class EmbeddedMongoServer : IAsyncDisposable
{
    private EmbeddedMongoServer(EmbeddedMongoOptions options, int port)
    {
        Options = options;
        Port = port;
    }

    public EmbeddedMongoOptions Options { get; }

    public int Port { get; }

    /// <summary>A connection string for the drivers (directConnection, or replicaSet=NAME in replica-set mode).</summary>
    public string ConnectionString =>
        Options.ReplicaSetName is { } rs
            ? $"mongodb://{Options.BindIp}:{Port}/?replicaSet={rs}"
            : $"mongodb://{Options.BindIp}:{Port}/?directConnection=true";

    public static Task<EmbeddedMongoServer> StartAsync(EmbeddedMongoOptions options, CancellationToken ct = default) =>
        throw new InvalidOperationException("The wire layer is being written.");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
