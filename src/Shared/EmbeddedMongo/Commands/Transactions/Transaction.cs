using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;
using Monolith.EmbeddedMongo.Storage;
using Monolith.EmbeddedMongo.Storage.Durability;
using Monolith.EmbeddedMongo.Storage.Versions;

namespace Monolith.EmbeddedMongo.Commands.Transactions;

internal enum TransactionState
{
    InProgress,
    Committed,
    Aborted,
}

/// <summary>What a transaction will write to one document at commit: the new version, or null to delete it.</summary>
internal sealed record PendingWrite(BsonDocument? After, byte[]? Bytes, bool Replacement);

/// <summary>A transaction's writes to one collection, in first-write order, keyed by _id.</summary>
internal sealed class WriteSet(CollectionStore collection)
{
    public CollectionStore Collection { get; } = collection;
    public Dictionary<BsonValue, PendingWrite> Entries { get; } = new(BsonOrder.EqualityComparer.Binary);
    public List<BsonValue> Order { get; } = [];
    public List<BsonValue> Locked { get; } = [];

    public void Put(BsonValue id, PendingWrite write)
    {
        if (!Entries.ContainsKey(id)) Order.Add(id);
        Entries[id] = write;
    }
}

/// <summary>
/// One multi-document transaction: a snapshot number taken when it starts, a private write set overlaid on its reads,
/// and locks on the documents it wrote (first writer wins: a document another transaction holds, or that anyone wrote
/// after the snapshot, is a WriteConflict). Nothing reaches the collections before <see cref="Commit"/>, which applies
/// the write set under the collections' write locks as one journal record and one commit number.
/// </summary>
internal sealed class Transaction : IDocumentLockOwner
{
    [ThreadStatic] private static Transaction? t_current;
    private readonly ManualResetEventSlim _ended = new(false);
    private readonly Dictionary<CollectionStore, WriteSet> _writes = new(ReferenceEqualityComparer.Instance);
    private readonly StorageEngine _storage;
    private string? _abortRequested;
    private List<CollectionStore>? _created;
    private bool _committing;

    public Transaction(StorageEngine storage, Guid sessionId, BsonDocument lsid, long txnNumber, DateTime now)
    {
        _storage = storage;
        SessionId = sessionId;
        Lsid = lsid;
        TxnNumber = txnNumber;
        LastActivity = now;
        Snapshot = storage.Clock.OpenSnapshot(this);
    }

    /// <summary>The transaction the command running on this thread belongs to, if any.</summary>
    public static Transaction? Current => t_current;

    public Guid SessionId { get; }
    public BsonDocument Lsid { get; }
    public long TxnNumber { get; }
    public long Snapshot { get; }

    /// <summary>Guards <see cref="State"/>, <see cref="Executing"/> and <see cref="LastActivity"/> against the idle reaper.</summary>
    public object Sync { get; } = new();
    public TransactionState State { get; private set; }
    public bool Executing { get; private set; }
    public DateTime LastActivity { get; private set; }
    public string? AbortReason { get; private set; }

    /// <summary>Marks a command of this transaction as running; false when the transaction is no longer in progress.</summary>
    public bool TryBeginCommand()
    {
        lock (Sync)
        {
            if (State != TransactionState.InProgress) return false;
            Executing = true;
            return true;
        }
    }

    public void EndCommand(DateTime now)
    {
        string? abort;
        lock (Sync)
        {
            Executing = false;
            LastActivity = now;
            abort = _abortRequested;
        }
        if (abort is not null) Abort(abort);
    }

    /// <summary>
    /// Aborts from outside the session's commands (its session ended): at once when no command of it runs, otherwise
    /// when that command ends, so a running statement never registers a lock after the locks were released.
    /// </summary>
    public void AbortWhenIdle(string reason)
    {
        lock (Sync)
        {
            if (Executing)
            {
                _abortRequested = reason;
                return;
            }
        }
        Abort(reason);
    }

    /// <summary>Runs the rest of the current thread's command as part of this transaction.</summary>
    public static IDisposable Enter(Transaction transaction)
    {
        t_current = transaction;
        return new Exit();
    }

    private sealed class Exit : IDisposable
    {
        public void Dispose() => t_current = null;
    }

    public bool WaitEnded(TimeSpan timeout) => _ended.Wait(timeout);

    public bool HasEnded => _ended.IsSet;

    public static MongoError WriteConflict() => Labelled(new MongoError(112, "WriteConflict",
        "Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction."));

    public static MongoError Labelled(MongoError error)
    {
        if (!error.Labels.Contains("TransientTransactionError")) error.Labels.Add("TransientTransactionError");
        return error;
    }

    /// <summary>
    /// How this transaction sees the collection where that differs from what is stored: documents written by others
    /// after the snapshot (as they were at it; null when absent) and its own pending writes. Null when nothing differs.
    /// Caller holds the collection's lock.
    /// </summary>
    public Dictionary<BsonValue, BsonDocument?>? Overrides(CollectionStore collection)
    {
        var changed = collection.Versions.ChangedSince(Snapshot);
        _writes.TryGetValue(collection, out var own);
        if (changed is null && (own is null || own.Entries.Count == 0)) return null;
        var result = new Dictionary<BsonValue, BsonDocument?>(BsonOrder.EqualityComparer.Binary);
        if (changed is not null)
        {
            foreach (var (id, before) in changed) result[id] = before is null ? null : Documents.FromBytes(before);
        }
        if (own is not null)
        {
            foreach (var (id, write) in own.Entries) result[id] = write.After;
        }
        return result;
    }

    /// <summary>Inserts a new document (it must not exist in this transaction's view). Caller holds the write lock.</summary>
    public void Insert(CollectionStore collection, BsonDocument document, byte[] bytes)
    {
        var id = document["_id"];
        Lock(collection, id);
        var exists = _writes.TryGetValue(collection, out var own) && own.Entries.TryGetValue(id, out var pending)
            ? pending.After is not null
            : collection.FindById(id) >= 0;
        if (exists) throw collection.IdIndex.Duplicate([id], collection.Namespace);
        Write(collection, id, document, bytes, replacement: false);
    }

    /// <summary>Replaces (or, with a null document, deletes) a document of this transaction's view. Caller holds the write lock.</summary>
    public void Write(CollectionStore collection, BsonValue id, BsonDocument? after, byte[]? bytes, bool replacement)
    {
        Lock(collection, id);
        if (after is not null) CheckUnique(collection, id, after);
        WriteSetFor(collection).Put(id, new PendingWrite(after, bytes, replacement));
    }

    private void Lock(CollectionStore collection, BsonValue id)
    {
        if (!collection.Versions.TryLock(id, this, Snapshot)) throw WriteConflict();
        var set = WriteSetFor(collection);
        if (!set.Entries.ContainsKey(id)) set.Locked.Add(id);
    }

    private WriteSet WriteSetFor(CollectionStore collection)
    {
        if (!_writes.TryGetValue(collection, out var set)) _writes[collection] = set = new WriteSet(collection);
        return set;
    }

    /// <summary>Secondary unique indexes against the stored documents this transaction has not rewritten, and against its own writes.</summary>
    private void CheckUnique(CollectionStore collection, BsonValue id, BsonDocument after)
    {
        _writes.TryGetValue(collection, out var own);
        foreach (var index in collection.Indexes.Skip(1))
        {
            if (!index.Definition.Unique) continue;
            foreach (var key in index.KeysFor(after))
            {
                foreach (var recordId in index.RecordIdsWithKey(key))
                {
                    var otherId = Documents.FromBytes(collection.Get(recordId).Span)["_id"];
                    if (BsonOrder.EqualityComparer.Binary.Equals(otherId, id)) continue;
                    if (own is not null && own.Entries.ContainsKey(otherId)) continue;
                    throw index.Duplicate(key, collection.Namespace);
                }
                if (own is null) continue;
                foreach (var (otherId, write) in own.Entries)
                {
                    if (write.After is null || BsonOrder.EqualityComparer.Binary.Equals(otherId, id)) continue;
                    if (index.KeysFor(write.After).Any(k => index.SameKey(k, key))) throw index.Duplicate(key, collection.Namespace);
                }
            }
        }
    }

    /// <summary>A collection this transaction's write created (implicitly, at once, outside the transaction).</summary>
    public void Created(CollectionStore collection)
    {
        lock (Sync) (_created ??= []).Add(collection);
    }

    /// <summary>
    /// Ends the transaction without a trace: its writes were never applied; its locks and snapshot are released and
    /// the collections it created are dropped again while still empty.
    /// </summary>
    public void Abort(string reason)
    {
        bool committing;
        lock (Sync)
        {
            if (State != TransactionState.InProgress) return;
            State = TransactionState.Aborted;
            AbortReason = reason;
            committing = _committing;
        }
        ReleaseLocks();
        _storage.Clock.CloseSnapshot(this);
        if (!committing) FinishAbort();
    }

    /// <summary>Drops the collections it created, then wakes the writers waiting for it (they look the collection up again).</summary>
    private void FinishAbort()
    {
        DropCreated(_created);
        _ended.Set();
    }

    /// <summary>Not under any collection lock (the catalog lock comes first).</summary>
    private void DropCreated(List<CollectionStore>? created)
    {
        if (created is null) return;
        foreach (var collection in created) _storage.DropIfEmpty(collection);
    }

    private void ReleaseLocks()
    {
        foreach (var set in _writes.Values) set.Collection.Versions.Unlock(set.Locked, this);
    }

    /// <summary>
    /// Applies the write set atomically: every collection it touches is write-locked (in namespace order) for the whole
    /// apply, the changes share one commit number, one journal record and one cluster time in the change feed. A unique
    /// index violation met on the way undoes what was applied and aborts with a WriteConflict.
    /// </summary>
    public void Commit()
    {
        lock (Sync)
        {
            if (State != TransactionState.InProgress) throw new InvalidOperationException("transaction is not in progress");
        }
        var sets = _writes.Values.Where(s => s.Entries.Count > 0).OrderBy(s => s.Collection.Namespace, StringComparer.Ordinal).ToList();
        var locked = new List<CollectionStore>(sets.Count);
        lock (Sync) _committing = true;
        try
        {
            foreach (var set in sets)
            {
                set.Collection.Lock.EnterWriteLock();
                locked.Add(set.Collection);
            }
            foreach (var set in sets)
            {
                if (!ReferenceEquals(_storage.Find(set.Collection.Database, set.Collection.Name), set.Collection))
                {
                    Abort($"collection {set.Collection.Namespace} was dropped during the transaction");
                    throw WriteConflict();
                }
            }
            if (sets.Count > 0) Apply(sets);
            lock (Sync) State = TransactionState.Committed;
        }
        finally
        {
            for (var i = locked.Count - 1; i >= 0; i--) locked[i].Lock.ExitWriteLock();
            lock (Sync) _committing = false;
            if (State == TransactionState.Aborted) FinishAbort();
        }
        ReleaseLocks();
        _storage.Clock.CloseSnapshot(this);
        _ended.Set();
    }

    private void Apply(List<WriteSet> sets)
    {
        var journal = _storage.Journal;
        var changes = _storage.Changes;
        using var gate = new JournalScope(journal);
        // Our own locks would refuse our own writes; nobody else can take them while we hold the write locks.
        ReleaseLocks();
        _storage.Clock.BeginCommit();
        if (journal is not null) Journal.BeginBatch();
        if (changes is not null) ChangeLog.BeginCapture();
        var undo = new List<Action>();
        try
        {
            foreach (var set in sets)
            {
                var collection = set.Collection;
                foreach (var id in set.Order) ApplyOne(collection, id, set.Entries[id], undo);
            }
        }
        catch (MongoError)
        {
            for (var i = undo.Count - 1; i >= 0; i--) undo[i]();
            Journal.DiscardBatch();
            ChangeLog.DiscardCapture();
            VersionClock.EndCommit();
            Abort("a unique index conflict was found at commit");
            throw WriteConflict();
        }
        VersionClock.EndCommit();
        journal?.EndBatch();
        changes?.EndCapture(Lsid, TxnNumber);
    }

    private static void ApplyOne(CollectionStore collection, BsonValue id, PendingWrite write, List<Action> undo)
    {
        var recordId = collection.FindById(id);
        if (write.After is null)
        {
            if (recordId < 0) return;
            var bytes = collection.Get(recordId).ToArray();
            var before = Documents.FromBytes(bytes);
            collection.Delete(recordId, before);
            undo.Add(() => collection.Insert(before, bytes));
            return;
        }
        if (recordId < 0)
        {
            collection.Insert(write.After, write.Bytes);
            undo.Add(() =>
            {
                var inserted = collection.FindById(id);
                collection.Delete(inserted, write.After);
            });
            return;
        }
        var previousBytes = collection.Get(recordId).ToArray();
        var previous = Documents.FromBytes(previousBytes);
        collection.Replace(recordId, previous, write.After, write.Bytes, write.Replacement);
        undo.Add(() => collection.Replace(collection.FindById(id), write.After, previous, previousBytes));
    }
}
