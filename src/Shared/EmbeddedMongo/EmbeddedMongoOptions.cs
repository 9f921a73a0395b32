namespace Monolith.EmbeddedMongo;

/// <summary>How an embedded server listens and where it keeps its data.</summary>
public sealed record EmbeddedMongoOptions
{
    /// <summary>TCP port; 0 lets the OS choose one (read it back from <see cref="EmbeddedMongoServer.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>Address to listen on.</summary>
    public string BindIp { get; init; } = "127.0.0.1";

    /// <summary>Directory for data files; null keeps everything in memory.</summary>
    public string? DataPath { get; init; }

    /// <summary>When set, the server answers as the primary of a single-member replica set of this name.</summary>
    public string? ReplicaSetName { get; init; }

    /// <summary>With a dbpath: the write-ahead log size past which a checkpoint is taken and a new log started.</summary>
    public long CheckpointLogBytes { get; init; } = 64L << 20;

    /// <summary>How often expired documents of TTL indexes are deleted (mongod: 60 s).</summary>
    public TimeSpan TtlMonitorInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A transaction idle (no command running) for longer than this is aborted (mongod's transactionLifetimeLimitSeconds: 60).</summary>
    public TimeSpan TransactionLifetimeLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Require clients to authenticate (SCRAM-SHA-256) and check their roles, as mongod --auth does.</summary>
    public bool Auth { get; init; }

    /// <summary>Let a server without <see cref="Auth"/> listen on a non-loopback address (refused otherwise).</summary>
    public bool AllowUnauthenticatedRemoteBind { get; init; }
}
