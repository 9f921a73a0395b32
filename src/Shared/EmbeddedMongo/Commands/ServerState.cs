using MongoDB.Bson;
using Monolith.EmbeddedMongo.Commands.Sessions;
using Monolith.EmbeddedMongo.Storage;

namespace Monolith.EmbeddedMongo.Commands;

/// <summary>What every command can reach: storage, cursors and the server's identity.</summary>
internal sealed class ServerState(EmbeddedMongoOptions options, StorageEngine storage)
{
    public EmbeddedMongoOptions Options { get; } = options;
    public StorageEngine Storage { get; } = storage;
    public CursorManager Cursors { get; } = new();
    public SessionRegistry Sessions { get; } = new();
    public Transactions.TransactionRegistry Transactions { get; } = new(storage, options.TransactionLifetimeLimit, TimeProvider.System);
    public DateTime StartedAt { get; } = DateTime.UtcNow;
    public ObjectId ProcessId { get; } = ObjectId.GenerateNewId();
    public int Port { get; set; }
    public string HostAndPort => $"{(Options.BindIp is "0.0.0.0" or "::" ? "127.0.0.1" : Options.BindIp)}:{Port}";
    private long _clusterTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds() << 32;

    /// <summary>A strictly increasing cluster time, as a replica-set member reports it.</summary>
    public BsonTimestamp NextClusterTime()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() << 32;
        long current, next;
        do
        {
            current = Interlocked.Read(ref _clusterTime);
            next = Math.Max(now, current + 1);
        } while (Interlocked.CompareExchange(ref _clusterTime, next, current) != current);
        return new BsonTimestamp(next);
    }

    public BsonTimestamp CurrentClusterTime => new(Interlocked.Read(ref _clusterTime));
}
