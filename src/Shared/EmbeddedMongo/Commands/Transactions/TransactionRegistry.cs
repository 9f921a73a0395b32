using MongoDB.Bson;
using Monolith.EmbeddedMongo.Storage;

namespace Monolith.EmbeddedMongo.Commands.Transactions;

/// <summary>
/// The open transactions, and the reaper that aborts those idle (no command running) for longer than the lifetime
/// limit, as mongod's transactionLifetimeLimitSeconds does. The reaper's timer runs only while a transaction is open.
/// </summary>
internal sealed class TransactionRegistry(StorageEngine storage, TimeSpan lifetimeLimit, TimeProvider clock) : IDisposable
{
    private readonly HashSet<Transaction> _open = [];
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private bool _disposed;

    public TimeSpan LifetimeLimit { get; } = lifetimeLimit;

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public int OpenCount
    {
        get { lock (_lock) return _open.Count; }
    }

    public Transaction Start(Guid sessionId, BsonDocument lsid, long txnNumber)
    {
        var transaction = new Transaction(storage, sessionId, lsid, txnNumber, Now);
        lock (_lock)
        {
            _open.Add(transaction);
            if (_timer is null && !_disposed)
            {
                var period = TimeSpan.FromTicks(Math.Clamp(LifetimeLimit.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(1).Ticks));
                _timer = clock.CreateTimer(_ => Reap(), null, period, period);
            }
        }
        return transaction;
    }

    /// <summary>Aborts the transactions idle past the limit and forgets the ended ones; returns how many were aborted.</summary>
    public int Reap()
    {
        List<Transaction> open;
        lock (_lock) open = [.. _open];
        var now = Now;
        var aborted = 0;
        var ended = new List<Transaction>();
        foreach (var transaction in open)
        {
            lock (transaction.Sync)
            {
                if (transaction.State == TransactionState.InProgress && !transaction.Executing && now - transaction.LastActivity > LifetimeLimit)
                {
                    transaction.Abort("the transaction exceeded its lifetime limit");
                    aborted++;
                }
                if (transaction.State != TransactionState.InProgress) ended.Add(transaction);
            }
        }
        lock (_lock)
        {
            foreach (var transaction in ended) _open.Remove(transaction);
            if (_open.Count == 0 && _timer is not null)
            {
                _timer.Dispose();
                _timer = null;
            }
        }
        return aborted;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }
}
