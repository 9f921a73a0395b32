using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Storage.Versions;

/// <summary>Who holds a document for a transaction that has not ended; a writer that meets the lock waits for it.</summary>
internal interface IDocumentLockOwner
{
    /// <summary>Waits until the owner commits or aborts; false when the timeout passed first.</summary>
    bool WaitEnded(TimeSpan timeout);

    bool HasEnded { get; }
}

/// <summary>A non-transactional write met a document an open transaction has written; nothing was changed.</summary>
internal sealed class DocumentLockedException(IDocumentLockOwner owner, string ns)
    : Exception($"a document in {ns} is being written by an open transaction")
{
    public IDocumentLockOwner Owner { get; } = owner;
}

/// <summary>
/// One collection's document history and transaction locks, keyed by _id. The history holds, for each write made
/// while a transaction was open, the write's number and the document as it was before (null: it did not exist).
/// A snapshot taken at number S sees a document as the oldest history entry numbered above S describes it, or as
/// stored when there is none. The locks say which open transaction has written a document (first writer wins).
/// </summary>
internal sealed class DocumentVersions(string ns)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<BsonValue, List<(long Number, byte[]? Before)>> _history = new(BsonOrder.EqualityComparer.Binary);
    private readonly Dictionary<BsonValue, IDocumentLockOwner> _locks = new(BsonOrder.EqualityComparer.Binary);

    public string Namespace { get; set; } = ns;

    /// <summary>Throws <see cref="DocumentLockedException"/> when an open transaction holds the document.</summary>
    public void ThrowIfLocked(BsonValue id)
    {
        lock (_lock)
        {
            if (_locks.Count == 0 || !_locks.TryGetValue(id, out var owner)) return;
            // A lock left by an owner that has ended (it cannot happen by design) must not make writers wait forever.
            if (owner.HasEnded) _locks.Remove(id);
            else throw new DocumentLockedException(owner, Namespace);
        }
    }

    public void Record(BsonValue id, long number, byte[]? before)
    {
        lock (_lock)
        {
            if (!_history.TryGetValue(id, out var versions)) _history[id] = versions = [];
            versions.Add((number, before));
        }
    }

    /// <summary>
    /// Locks the document for <paramref name="owner"/>, unless another owner holds it or it was written after
    /// <paramref name="snapshot"/>; false then (a write conflict). Called under the collection's write lock.
    /// </summary>
    public bool TryLock(BsonValue id, IDocumentLockOwner owner, long snapshot)
    {
        lock (_lock)
        {
            if (_locks.TryGetValue(id, out var holder) && !holder.HasEnded) return ReferenceEquals(holder, owner);
            if (_history.TryGetValue(id, out var versions) && versions[^1].Number > snapshot) return false;
            _locks[id] = owner;
            return true;
        }
    }

    public void Unlock(IEnumerable<BsonValue> ids, IDocumentLockOwner owner)
    {
        lock (_lock)
        {
            foreach (var id in ids)
            {
                if (_locks.TryGetValue(id, out var holder) && ReferenceEquals(holder, owner)) _locks.Remove(id);
            }
        }
    }

    /// <summary>Documents written after <paramref name="snapshot"/>, each as it was at the snapshot (null: absent); null when none.</summary>
    public Dictionary<BsonValue, byte[]?>? ChangedSince(long snapshot)
    {
        lock (_lock)
        {
            if (_history.Count == 0) return null;
            Dictionary<BsonValue, byte[]?>? changed = null;
            foreach (var (id, versions) in _history)
            {
                if (versions[^1].Number <= snapshot) continue;
                foreach (var (number, before) in versions)
                {
                    if (number <= snapshot) continue;
                    (changed ??= new Dictionary<BsonValue, byte[]?>(BsonOrder.EqualityComparer.Binary))[id] = before;
                    break;
                }
            }
            return changed;
        }
    }

    /// <summary>Drops entries no snapshot at or above <paramref name="oldest"/> needs; true when nothing is left.</summary>
    public bool Prune(long oldest)
    {
        lock (_lock)
        {
            if (oldest == long.MaxValue)
            {
                _history.Clear();
                return true;
            }
            List<BsonValue>? empty = null;
            foreach (var (id, versions) in _history)
            {
                versions.RemoveAll(v => v.Number <= oldest);
                if (versions.Count == 0) (empty ??= []).Add(id);
            }
            if (empty is not null) foreach (var id in empty) _history.Remove(id);
            return _history.Count == 0;
        }
    }
}
