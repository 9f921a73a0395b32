namespace Monolith.EmbeddedMongo.Storage.Versions;

/// <summary>
/// The commit sequence and the open transactions' snapshots. While no transaction is open, writes only read
/// <see cref="HasOpenSnapshots"/> (one volatile read) and keep no history. While one is open, every write takes the
/// next sequence number and keeps the document's previous version (<see cref="DocumentVersions"/>), so a transaction
/// can read the collection as of its snapshot; a transaction's commit takes one number for all its writes.
/// </summary>
/// <remarks>
/// Why a write that saw no open snapshot needs no history: it checks under its collection's write lock; a snapshot
/// opened after that check reads the collection only under the read lock, so after the write is complete.
/// </remarks>
internal sealed class VersionClock
{
    [ThreadStatic] private static long t_commitSequence;
    private readonly Lock _lock = new();
    private readonly Dictionary<object, long> _snapshots = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<DocumentVersions> _withHistory = new(ReferenceEqualityComparer.Instance);
    private long _sequence;
    private int _open;

    public bool HasOpenSnapshots => Volatile.Read(ref _open) > 0;

    public long Current => Interlocked.Read(ref _sequence);

    /// <summary>Opens a snapshot for <paramref name="owner"/>: it sees every write numbered at or below the result.</summary>
    public long OpenSnapshot(object owner)
    {
        lock (_lock)
        {
            Interlocked.Increment(ref _open);
            var snapshot = Interlocked.Read(ref _sequence);
            _snapshots[owner] = snapshot;
            return snapshot;
        }
    }

    /// <summary>Closes a snapshot and drops the history no open snapshot needs any more.</summary>
    public void CloseSnapshot(object owner)
    {
        lock (_lock)
        {
            if (!_snapshots.Remove(owner)) return;
            var oldest = _snapshots.Count == 0 ? long.MaxValue : _snapshots.Values.Min();
            _withHistory.RemoveWhere(versions => versions.Prune(oldest));
            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>The number a write made now carries: the enclosing commit's, or the next one.</summary>
    public long NumberForWrite() => t_commitSequence != 0 ? t_commitSequence : Interlocked.Increment(ref _sequence);

    /// <summary>Numbers every write this thread makes until <see cref="EndCommit"/> with one new number.</summary>
    public long BeginCommit() => t_commitSequence = Interlocked.Increment(ref _sequence);

    public static void EndCommit() => t_commitSequence = 0;

    public void NoteHistory(DocumentVersions versions)
    {
        lock (_lock) _withHistory.Add(versions);
    }
}
