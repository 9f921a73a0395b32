using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>
/// A compiled sort: keys in order, dotted paths, missing fields as null. An array contributes its smallest element
/// to an ascending key and its largest to a descending one (an empty array sorts before null).
/// </summary>
internal sealed class SortSpec : IComparer<BsonDocument>
{
    private readonly string[][] _parts;
    private readonly int[] _directions;
    private readonly Collation? _collation;

    private SortSpec(IReadOnlyList<(string Path, int Direction)> keys, Collation? collation)
    {
        Keys = keys;
        _collation = collation;
        _parts = new string[keys.Count][];
        _directions = new int[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            _parts[i] = BsonPath.Split(keys[i].Path);
            _directions[i] = keys[i].Direction;
        }
    }

    public IReadOnlyList<(string Path, int Direction)> Keys { get; }

    /// <summary>
    /// 1 or -1 for a <c>{$natural: ±1}</c> sort (storage order, which this comparer cannot express: it compares such
    /// documents as equal and the caller reverses the scan for -1); null otherwise.
    /// </summary>
    public int? Natural { get; private init; }

    /// <summary>Null for a missing or empty sort; throws BadValue for a direction other than 1/-1 or a $meta sort.</summary>
    public static SortSpec? Compile(BsonDocument? sort, Collation? collation)
    {
        if (sort is null || sort.ElementCount == 0) return null;
        var keys = new List<(string, int)>(sort.ElementCount);
        if (sort.ElementCount == 1 && sort.GetElement(0).Name == "$natural")
        {
            var direction = ParseDirection(sort[0]);
            return new SortSpec([], collation) { Natural = direction };
        }
        foreach (var e in sort)
        {
            if (e.Name.Length == 0) throw MongoError.BadValue("FieldPath cannot be constructed with empty string");
            if (e.Name.StartsWith('$')) throw MongoError.BadValue($"FieldPath field names may not start with '$'. Consider using $getField or $setField.");
            if (e.Value is BsonDocument meta && meta.Contains("$meta"))
                throw MongoError.BadValue($"$meta sort by '{meta["$meta"]}' is not supported by this server");
            keys.Add((e.Name, ParseDirection(e.Value)));
        }
        return new SortSpec(keys, collation);
    }

    private static int ParseDirection(BsonValue v)
    {
        if (BsonOrder.IsNumber(v))
        {
            var d = v.ToDouble();
            if (d == 1) return 1;
            if (d == -1) return -1;
        }
        throw MongoError.BadValue("$sort key ordering must be 1 (for ascending) or -1 (for descending)");
    }

    public int Compare(BsonDocument? x, BsonDocument? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        List<BsonValue>? scratch = null;
        for (var i = 0; i < _parts.Length; i++)
        {
            var a = KeyOf(x, i, ref scratch);
            var b = KeyOf(y, i, ref scratch);
            var c = BsonOrder.Compare(a, b, _collation);
            if (c != 0) return _directions[i] < 0 ? -c : c;
        }
        return 0;
    }

    /// <summary>The document's sort key values, one per sort key, for callers that sort many documents.</summary>
    public BsonValue[] GetKey(BsonDocument document)
    {
        var key = new BsonValue[_parts.Length];
        List<BsonValue>? scratch = null;
        for (var i = 0; i < key.Length; i++) key[i] = KeyOf(document, i, ref scratch);
        return key;
    }

    public int CompareKeys(BsonValue[] a, BsonValue[] b)
    {
        for (var i = 0; i < _directions.Length; i++)
        {
            var c = BsonOrder.Compare(a[i], b[i], _collation);
            if (c != 0) return _directions[i] < 0 ? -c : c;
        }
        return 0;
    }

    /// <summary>Stable in-place sort that extracts every key once.</summary>
    public void Sort(List<BsonDocument> documents)
    {
        var sorted = SortTop(documents, d => d, documents.Count);
        documents.Clear();
        documents.AddRange(sorted);
    }

    /// <summary>
    /// The first <paramref name="count"/> items in sort order (stable: ties keep their input order), extracting each
    /// key once; with a small count it keeps a bounded heap instead of sorting everything (sort + limit).
    /// </summary>
    public List<T> SortTop<T>(IEnumerable<T> items, Func<T, BsonDocument> documentOf, long count)
    {
        if (count <= 0) return [];
        var order = Comparer<(BsonValue[] Key, long Index)>.Create((p, q) =>
        {
            var c = CompareKeys(p.Key, q.Key);
            return c != 0 ? c : p.Index.CompareTo(q.Index);
        });
        var keyed = new List<(BsonValue[] Key, long Index, T Item)>();
        if (count >= 1000)
        {
            long i = 0;
            foreach (var item in items) keyed.Add((GetKey(documentOf(item)), i++, item));
        }
        else
        {
            // Max-heap of the best `count` seen so far: the root is the worst of them.
            var heap = new PriorityQueue<(BsonValue[] Key, long Index, T Item), (BsonValue[] Key, long Index)>(
                Comparer<(BsonValue[] Key, long Index)>.Create((p, q) => order.Compare(q, p)));
            long i = 0;
            foreach (var item in items)
            {
                var entry = (GetKey(documentOf(item)), i++, item);
                if (heap.Count < count) heap.Enqueue(entry, (entry.Item1, entry.Item2));
                else if (heap.TryPeek(out _, out var worst) && order.Compare((entry.Item1, entry.Item2), worst) < 0)
                    heap.DequeueEnqueue(entry, (entry.Item1, entry.Item2));
            }
            while (heap.Count > 0) keyed.Add(heap.Dequeue());
        }
        keyed.Sort((p, q) => order.Compare((p.Key, p.Index), (q.Key, q.Index)));
        var result = new List<T>((int)Math.Min(count, keyed.Count));
        for (var k = 0; k < keyed.Count && k < count; k++) result.Add(keyed[k].Item);
        return result;
    }

    private BsonValue KeyOf(BsonDocument document, int i, ref List<BsonValue>? scratch)
    {
        var parts = _parts[i];
        // Fast path: documents all the way down and no array at the end.
        BsonValue current = document;
        var depth = 0;
        for (; depth < parts.Length && current is BsonDocument d; depth++)
        {
            if (!d.TryGetValue(parts[depth], out current!)) return BsonNull.Value;
        }
        if (current is not BsonArray) return depth == parts.Length ? current : BsonNull.Value;
        scratch ??= new List<BsonValue>(4);
        scratch.Clear();
        BsonPath.CollectSortValues(document, parts, 0, scratch);
        var best = scratch[0];
        var descending = _directions[i] < 0;
        for (var k = 1; k < scratch.Count; k++)
        {
            var c = BsonOrder.Compare(scratch[k], best, _collation);
            if (descending ? c > 0 : c < 0) best = scratch[k];
        }
        return best;
    }
}
