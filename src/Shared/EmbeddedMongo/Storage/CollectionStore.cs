using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>
/// One collection: documents stored as BSON bytes in record slots, plus its indexes. Readers share a lock;
/// a write takes it exclusively, checks every index constraint first and only then changes anything.
/// </summary>
internal sealed class CollectionStore
{
    private readonly List<byte[]?> _records = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly List<IndexStore> _indexes = [];

    public CollectionStore(string database, string name, BsonDocument options)
    {
        Database = database;
        Name = name;
        Options = options;
        _indexes.Add(new IndexStore(IndexDefinition.IdIndex()));
    }

    public string Database { get; private set; }
    public string Name { get; private set; }
    public string Namespace => $"{Database}.{Name}";
    public BsonDocument Options { get; }
    public Guid Uuid { get; } = Guid.NewGuid();
    public ReaderWriterLockSlim Lock { get; } = new(LockRecursionPolicy.SupportsRecursion);
    public int Count { get; private set; }
    public long DataSize { get; private set; }
    public IReadOnlyList<IndexStore> Indexes => _indexes;
    public IndexStore IdIndex => _indexes[0];

    public void Rename(string database, string name)
    {
        Database = database;
        Name = name;
    }

    public byte[]? Get(int recordId) =>
        recordId >= 0 && recordId < _records.Count ? _records[recordId] : null;

    public IEnumerable<(int RecordId, byte[] Bytes)> All()
    {
        for (var i = 0; i < _records.Count; i++)
        {
            if (_records[i] is { } bytes) yield return (i, bytes);
        }
    }

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
        var recordId = _freeSlots.Count > 0 ? _freeSlots.Peek() : _records.Count;
        var keys = new List<BsonValue[]>[_indexes.Count];
        for (var i = 0; i < _indexes.Count; i++)
        {
            keys[i] = _indexes[i].KeysFor(document);
            _indexes[i].CheckUnique(keys[i], recordId, Namespace);
        }
        if (_freeSlots.Count > 0) _records[_freeSlots.Pop()] = bytes;
        else _records.Add(bytes);
        for (var i = 0; i < _indexes.Count; i++) _indexes[i].Add(keys[i], recordId);
        Count++;
        DataSize += bytes.Length;
        return recordId;
    }

    /// <summary>Replaces a stored document. Caller holds the write lock.</summary>
    public void Replace(int recordId, BsonDocument before, BsonDocument after, byte[]? encoded = null)
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
        for (var i = 0; i < _indexes.Count; i++)
        {
            _indexes[i].Remove(oldKeys[i], recordId);
            _indexes[i].Add(newKeys[i], recordId);
        }
        DataSize += bytes.Length - (_records[recordId]?.Length ?? 0);
        _records[recordId] = bytes;
    }

    /// <summary>Deletes a stored document. Caller holds the write lock.</summary>
    public void Delete(int recordId, BsonDocument document)
    {
        foreach (var index in _indexes) index.Remove(index.KeysFor(document), recordId);
        DataSize -= _records[recordId]?.Length ?? 0;
        _records[recordId] = null;
        _freeSlots.Push(recordId);
        Count--;
    }

    public void Truncate()
    {
        _records.Clear();
        _freeSlots.Clear();
        foreach (var index in _indexes) index.Clear();
        Count = 0;
        DataSize = 0;
    }

    /// <summary>Builds a new index over the existing documents; throws (leaving nothing behind) on a duplicate key.</summary>
    public void AddIndex(IndexDefinition definition)
    {
        var index = new IndexStore(definition);
        foreach (var (recordId, bytes) in All())
        {
            var keys = index.KeysFor(Documents.FromBytes(bytes));
            index.CheckUnique(keys, recordId, Namespace);
            index.Add(keys, recordId);
        }
        _indexes.Add(index);
    }

    public bool DropIndex(string name)
    {
        var i = _indexes.FindIndex(x => x.Definition.Name == name);
        if (i <= 0) return false;
        _indexes.RemoveAt(i);
        return true;
    }

    public void DropAllIndexesButId()
    {
        _indexes.RemoveRange(1, _indexes.Count - 1);
    }
}
