using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>What happened to the data, in commit order: the feed change streams read (like mongod's oplog).</summary>
internal sealed record ChangeEvent(
    long Sequence,
    string OperationType,
    string Database,
    string? Collection,
    BsonValue? DocumentId,
    byte[]? FullDocument,
    BsonDocument? UpdateDescription,
    BsonTimestamp ClusterTime,
    DateTime WallTime,
    string? ToDatabase = null,
    string? ToCollection = null,
    BsonDocument? Lsid = null,
    long? TxnNumber = null);

/// <summary>
/// A bounded, in-memory history of change events (the newest <see cref="Capacity"/>), numbered by a sequence that
/// resume tokens carry. Readers wait on it for new events. Only replica-set mode records changes.
/// </summary>
internal sealed class ChangeLog(Func<BsonTimestamp> clock, int capacity = 16_384)
{
    [ThreadStatic] private static List<ChangeEvent>? t_captured;
    private readonly Queue<ChangeEvent> _events = new();
    private readonly object _lock = new();
    private long _lastSequence;

    public int Capacity { get; } = capacity;

    public long LastSequence
    {
        get { lock (_lock) return _lastSequence; }
    }

    /// <summary>The sequence of the oldest event still held (events after <c>OldestSequence - 1</c> can be resumed from).</summary>
    public long OldestSequence
    {
        get { lock (_lock) return _events.Count > 0 ? _events.Peek().Sequence : _lastSequence + 1; }
    }

    /// <summary>Holds back this thread's events until <see cref="EndCapture"/> (a transaction's commit).</summary>
    public static void BeginCapture() => t_captured = [];

    /// <summary>Forgets the held-back events (a commit that was undone).</summary>
    public static void DiscardCapture() => t_captured = null;

    /// <summary>Records the held-back events together, as one transaction's: same cluster time, its lsid and txnNumber.</summary>
    public void EndCapture(BsonDocument lsid, long txnNumber)
    {
        var captured = t_captured;
        t_captured = null;
        if (captured is null || captured.Count == 0) return;
        lock (_lock)
        {
            var time = clock();
            var wallTime = DateTime.UtcNow;
            foreach (var change in captured)
            {
                _events.Enqueue(change with { Sequence = ++_lastSequence, ClusterTime = time, WallTime = wallTime, Lsid = lsid, TxnNumber = txnNumber });
            }
            while (_events.Count > Capacity) _events.Dequeue();
            Monitor.PulseAll(_lock);
        }
    }

    public void Record(string operationType, string database, string? collection, BsonValue? documentId = null,
        byte[]? fullDocument = null, BsonDocument? updateDescription = null, string? toDatabase = null, string? toCollection = null)
    {
        if (t_captured is { } captured)
        {
            captured.Add(new ChangeEvent(0, operationType, database, collection, documentId, fullDocument, updateDescription,
                default!, default, toDatabase, toCollection));
            return;
        }
        lock (_lock)
        {
            var change = new ChangeEvent(++_lastSequence, operationType, database, collection, documentId, fullDocument,
                updateDescription, clock(), DateTime.UtcNow, toDatabase, toCollection);
            _events.Enqueue(change);
            while (_events.Count > Capacity) _events.Dequeue();
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Events with a sequence above <paramref name="after"/>, oldest first, at most <paramref name="max"/>.</summary>
    public List<ChangeEvent> ReadAfter(long after, int max)
    {
        lock (_lock)
        {
            var result = new List<ChangeEvent>();
            foreach (var change in _events)
            {
                if (change.Sequence <= after) continue;
                result.Add(change);
                if (result.Count >= max) break;
            }
            return result;
        }
    }

    /// <summary>Waits until an event after <paramref name="after"/> exists or the timeout passes.</summary>
    public bool WaitForAfter(long after, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_lock)
        {
            while (_lastSequence <= after)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_lock, left)) return _lastSequence > after;
            }
            return true;
        }
    }

    /// <summary>Top-level difference between two versions of a document, as an update event describes it.</summary>
    public static BsonDocument Describe(BsonDocument before, BsonDocument after)
    {
        var updated = new BsonDocument();
        foreach (var element in after)
        {
            if (!before.TryGetValue(element.Name, out var old) || !old.Equals(element.Value)) updated[element.Name] = element.Value;
        }
        var removed = new BsonArray(before.Names.Where(n => !after.Contains(n)));
        return new BsonDocument { { "updatedFields", updated }, { "removedFields", removed }, { "truncatedArrays", new BsonArray() } };
    }
}
