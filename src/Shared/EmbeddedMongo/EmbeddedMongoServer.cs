using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Monolith.EmbeddedMongo.Commands;
using Monolith.EmbeddedMongo.Storage;
using Monolith.EmbeddedMongo.Storage.Durability;
using Monolith.EmbeddedMongo.Wire;

namespace Monolith.EmbeddedMongo;

/// <summary>A MongoDB-compatible server running in this process, reachable over TCP by any MongoDB driver.</summary>
public sealed class EmbeddedMongoServer : IAsyncDisposable
{
    private readonly DurableStorage? _durable;
    private readonly WireServer _wire;
    private readonly TtlMonitor _ttl;
    private readonly ServerState _state;
    private readonly ILogger _logger;
    private int _disposed;

    private EmbeddedMongoServer(EmbeddedMongoOptions options, DurableStorage? durable, WireServer wire, TtlMonitor ttl, ServerState state, ILogger logger)
    {
        _state = state;
        Options = options;
        _durable = durable;
        _wire = wire;
        _ttl = ttl;
        _logger = logger;
    }

    public EmbeddedMongoOptions Options { get; }

    public int Port => _wire.Port;

    /// <summary>A connection string for the drivers (directConnection, or replicaSet=NAME in replica-set mode).</summary>
    public string ConnectionString =>
        Options.ReplicaSetName is { } rs
            ? $"mongodb://{Host}:{Port}/?replicaSet={rs}"
            : $"mongodb://{Host}:{Port}/?directConnection=true";

    private string Host => Options.BindIp is "0.0.0.0" or "::" ? "127.0.0.1" : Options.BindIp;

    public static Task<EmbeddedMongoServer> StartAsync(EmbeddedMongoOptions options, CancellationToken ct = default) =>
        StartAsync(options, NullLogger.Instance, ct);

    public static Task<EmbeddedMongoServer> StartAsync(EmbeddedMongoOptions options, ILogger logger, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var storage = new StorageEngine();
        var durable = options.DataPath is { } path ? DurableStorage.Open(path, storage, options.CheckpointLogBytes, logger) : null;
        var state = new ServerState(options, storage);
        if (options.ReplicaSetName is not null) storage.Changes = new ChangeLog(state.NextClusterTime);
        var dispatcher = new CommandDispatcher(state, logger);
        var address = options.BindIp == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.BindIp);
        var wire = new WireServer(address, options.Port, dispatcher, logger);
        wire.Start();
        state.Port = wire.Port;
        var ttl = new TtlMonitor(storage, options.TtlMonitorInterval, logger);
        ttl.Start();
        var server = new EmbeddedMongoServer(options, durable, wire, ttl, state, logger);
        logger.LogInformation("Embedded MongoDB-compatible server listening on {Address}:{Port} ({Mode})",
            options.BindIp, wire.Port, options.DataPath is null ? "in memory" : $"dbpath {options.DataPath}");
        return Task.FromResult(server);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _wire.DisposeAsync();
        await _ttl.DisposeAsync();
        _state.Transactions.Dispose();
        if (_durable is not null)
        {
            _durable.Dispose();
            _logger.LogInformation("Embedded MongoDB-compatible server saved its data to {DataPath}", Options.DataPath);
        }
    }
}
