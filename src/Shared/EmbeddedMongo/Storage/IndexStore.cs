using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>An index's entries, ordered by BSON comparison of the keys (per-field direction) then record id.</summary>
internal sealed class IndexStore
{
    private readonly SortedEntryList _entries;
    private readonly Filter? _partialFilter;

    public IndexStore(IndexDefinition definition)
    {
        Definition = definition;
        Collation = Query.Collation.Parse(definition.CollationSpec);
        Comparer = new EntryComparer(definition.Fields.Select(f => f.Direction).ToArray(), Collation);
        _entries = new SortedEntryList(Comparer);
        if (definition.PartialFilter is { } pf) _partialFilter = Filter.Compile(pf, QueryContext.Default);
    }

    public IndexDefinition Definition { get; }
    public Collation? Collation { get; }
    public EntryComparer Comparer { get; }
    public bool IsMultikey { get; private set; }
    public int EntryCount => _entries.Count;

    /// <summary>The keys this document contributes, or none when it is outside a sparse or partial index.</summary>
    public List<BsonValue[]> KeysFor(BsonDocument document)
    {
        if (_partialFilter is not null && !_partialFilter.Matches(document)) return [];
        if (Definition.Sparse && Definition.Fields.All(f => IsMissing(document, f.Path))) return [];
        var keys = IndexKeys.Extract(document, Definition.Fields, out var multikey);
        if (multikey) IsMultikey = true;
        return keys;
    }

    /// <summary>Throws DuplicateKey when a unique index already holds one of the keys for another record.</summary>
    public void CheckUnique(List<BsonValue[]> keys, int recordId, string ns)
    {
        if (!Definition.Unique && !Definition.IsIdIndex) return;
        foreach (var key in keys)
        {
            foreach (var existing in _entries.Range(new IndexEntry(key, int.MinValue), new IndexEntry(key, int.MaxValue)))
            {
                if (existing.RecordId == recordId) continue;
                throw Duplicate(key, ns);
            }
        }
    }

    /// <summary>The DuplicateKey error for <paramref name="key"/> on this index.</summary>
    public MongoError Duplicate(BsonValue[] key, string ns)
    {
        var keyValue = new BsonDocument();
        for (var i = 0; i < key.Length; i++)
        {
            var name = Definition.Fields[i].Path;
            if (!keyValue.Contains(name)) keyValue.Add(name, key[i]);
        }
        return MongoError.DuplicateKey(ns, Definition.Name, Definition.KeyPattern, keyValue);
    }

    /// <summary>The records that hold exactly this key.</summary>
    public IEnumerable<int> RecordIdsWithKey(BsonValue[] key) =>
        _entries.Range(new IndexEntry(key, int.MinValue), new IndexEntry(key, int.MaxValue)).Select(e => e.RecordId);

    /// <summary>Whether two keys are the same key for this index (its collation included).</summary>
    public bool SameKey(BsonValue[] a, BsonValue[] b) => Comparer.Compare(new IndexEntry(a, 0), new IndexEntry(b, 0)) == 0;

    public void Add(List<BsonValue[]> keys, int recordId)
    {
        foreach (var key in keys) _entries.Add(new IndexEntry(key, recordId));
    }

    public void Remove(List<BsonValue[]> keys, int recordId)
    {
        foreach (var key in keys) _entries.Remove(new IndexEntry(key, recordId));
    }

    public void Clear()
    {
        _entries.Clear();
        IsMultikey = false;
    }

    public IEnumerable<IndexEntry> Scan(BsonValue[] start, BsonValue[] end, bool reverse) => reverse
        ? _entries.RangeReverse(new IndexEntry(start, int.MinValue), new IndexEntry(end, int.MaxValue))
        : _entries.Range(new IndexEntry(start, int.MinValue), new IndexEntry(end, int.MaxValue));

    public IEnumerable<IndexEntry> All(bool reverse) => reverse ? _entries.All().Reverse() : _entries.All();

    private static bool IsMissing(BsonDocument document, string path)
    {
        BsonValue current = document;
        foreach (var part in path.Split('.'))
        {
            if (current is BsonDocument doc && doc.TryGetValue(part, out var next)) current = next;
            else if (current is BsonArray) return false;
            else return true;
        }
        return false;
    }

    internal sealed class EntryComparer(int[] directions, Collation? collation) : IComparer<IndexEntry>
    {
        public int Compare(IndexEntry x, IndexEntry y)
        {
            var c = IndexEntry.CompareKeys(x, y, directions, collation);
            return c != 0 ? c : x.RecordId.CompareTo(y.RecordId);
        }
    }
}
