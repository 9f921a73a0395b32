using MongoDB.Bson;
using Monolith.EmbeddedMongo.Storage.Durability;
using Monolith.EmbeddedMongo.Storage.Versions;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>
/// One collection: documents stored as BSON bytes in record slots, plus its indexes. Readers share a lock;
/// a write takes it exclusively, checks every index constraint first and only then changes anything.
/// </summary>
internal sealed class CollectionStore
{
    private readonly RecordStore _records = new();
    private readonly List<IndexStore> _indexes = [];

    public CollectionStore(string database, string name, BsonDocument options)
    {
        Database = database;
        Name = name;
        Options = options;
        _indexes.Add(new IndexStore(IndexDefinition.IdIndex()));
        Versions = new DocumentVersions(Namespace);
    }

    public string Database { get; private set; }
    public string Name { get; private set; }
    public string Namespace => $"{Database}.{Name}";
    public BsonDocument Options { get; }
    public Guid Uuid { get; } = Guid.NewGuid();
    public ReaderWriterLockSlim Lock { get; } = new(LockRecursionPolicy.SupportsRecursion);
    public int Count => _records.Count;
    public long DataSize => _records.DataSize;
    public IReadOnlyList<IndexStore> Indexes => _indexes;

    /// <summary>Where inserts, updates and deletes are reported for change streams (replica-set mode only).</summary>
    public ChangeLog? Changes { get; set; }
    public IndexStore IdIndex => _indexes[0];

    /// <summary>Where mutations are logged (dbpath mode) while the collection is in the catalog; null in memory.</summary>
    public Journal? Journal { get; set; }

    /// <summary>The server's commit sequence, for transactions' snapshots (null for collections outside the catalog).</summary>
    public VersionClock? Clock { get; set; }

    /// <summary>Previous versions of documents written while a transaction is open, and the transactions' locks.</summary>
    public DocumentVersions Versions { get; }

    public void Rename(string database, string name)
    {
        Database = database;
        Name = name;
        Versions.Namespace = Namespace;
    }

    /// <summary>
    /// Only while a transaction is open: refuses a document an open transaction holds and keeps its current version
    /// for the transactions' snapshots. Caller holds the write lock and has changed nothing yet.
    /// </summary>
    private void BeforeChange(BsonDocument document, int recordId)
    {
        if (Clock is not { HasOpenSnapshots: true } clock) return;
        var id = document["_id"];
        Versions.ThrowIfLocked(id);
        Versions.Record(id, clock.NumberForWrite(), recordId < 0 ? null : _records.Get(recordId).ToArray());
        clock.NoteHistory(Versions);
    }

    /// <summary>The stored bytes of a record (empty when there is none); valid while the caller holds the lock.</summary>
    public ReadOnlyMemory<byte> Get(int recordId) => _records.Get(recordId);

    public IEnumerable<(int RecordId, ReadOnlyMemory<byte> Bytes)> All() => _records.All();

    /// <summary>Record id of the document with this _id, or -1.</summary>
    public int FindById(BsonValue id)
    {
        var key = new[] { id };
        foreach (var entry in IdIndex.Scan(key, key, reverse: false)) return entry.RecordId;
        return -1;
    }

    /// <summary>Inserts a document that already has an _id. Caller holds the write lock.</summary>
    public int Insert(BsonDocument document, byte[]? encoded = null)
    {
        var bytes = encoded ?? Documents.ToBytes(document);
        var recordId = _records.NextId;
        var keys = new List<BsonValue[]>[_indexes.Count];
        for (var i = 0; i < _indexes.Count; i++)
        {
            keys[i] = _indexes[i].KeysFor(document);
            _indexes[i].CheckUnique(keys[i], recordId, Namespace);
        }
        BeforeChange(document, -1);
        using var logged = new JournalScope(Journal);
        _records.Add(bytes);
        for (var i = 0; i < _indexes.Count; i++) _indexes[i].Add(keys[i], recordId);
        Changes?.Record("insert", Database, Name, document["_id"], bytes);
        Journal?.Inserted(this, bytes);
        return recordId;
    }

    /// <summary>Replaces a stored document (<paramref name="replacement"/>: a whole-document replace rather than an update). Caller holds the write lock.</summary>
    public void Replace(int recordId, BsonDocument before, BsonDocument after, byte[]? encoded = null, bool replacement = false)
    {
        var bytes = encoded ?? Documents.ToBytes(after);
        var oldKeys = new List<BsonValue[]>[_indexes.Count];
        var newKeys = new List<BsonValue[]>[_indexes.Count];
        for (var i = 0; i < _indexes.Count; i++)
        {
            oldKeys[i] = _indexes[i].KeysFor(before);
            newKeys[i] = _indexes[i].KeysFor(after);
            _indexes[i].CheckUnique(newKeys[i], recordId, Namespace);
        }
        BeforeChange(after, recordId);
        using var logged = new JournalScope(Journal);
        for (var i = 0; i < _indexes.Count; i++)
        {
            _indexes[i].Remove(oldKeys[i], recordId);
            _indexes[i].Add(newKeys[i], recordId);
        }
        _records.Replace(recordId, bytes);
        Changes?.Record(replacement ? "replace" : "update", Database, Name, after["_id"], bytes,
            replacement ? null : ChangeLog.Describe(before, after));
        Journal?.Replaced(this, bytes);
    }

    /// <summary>Deletes a stored document. Caller holds the write lock.</summary>
    public void Delete(int recordId, BsonDocument document)
    {
        BeforeChange(document, recordId);
        using var logged = new JournalScope(Journal);
        foreach (var index in _indexes) index.Remove(index.KeysFor(document), recordId);
        _records.Remove(recordId);
        Changes?.Record("delete", Database, Name, document["_id"]);
        Journal?.Deleted(this, document["_id"]);
    }

    public void Truncate()
    {
        using var logged = new JournalScope(Journal);
        _records.Clear();
        foreach (var index in _indexes) index.Clear();
        Journal?.Truncated(this);
    }

    /// <summary>Builds a new index over the existing documents; throws (leaving nothing behind) on a duplicate key.</summary>
    public void AddIndex(IndexDefinition definition)
    {
        var index = new IndexStore(definition);
        foreach (var (recordId, bytes) in All())
        {
            var keys = index.KeysFor(Documents.FromBytes(bytes.Span));
            index.CheckUnique(keys, recordId, Namespace);
            index.Add(keys, recordId);
        }
        using var logged = new JournalScope(Journal);
        _indexes.Add(index);
        Journal?.IndexAdded(this, definition);
    }

    public bool DropIndex(string name)
    {
        var i = _indexes.FindIndex(x => x.Definition.Name == name);
        if (i <= 0) return false;
        using var logged = new JournalScope(Journal);
        _indexes.RemoveAt(i);
        Journal?.IndexDropped(this, name);
        return true;
    }

    public void DropAllIndexesButId()
    {
        using var logged = new JournalScope(Journal);
        _indexes.RemoveRange(1, _indexes.Count - 1);
        Journal?.IndexesDroppedButId(this);
    }
}
