using System.Collections.Concurrent;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>Dotted paths ("a.b.0.c") resolved the ways MongoDB does: for queries, for expressions and plainly.</summary>
internal static class BsonPath
{
    private static readonly ConcurrentDictionary<string, string[]> SplitCache = new(StringComparer.Ordinal);

    /// <summary>The path's components, cached (paths repeat across commands).</summary>
    public static string[] Split(string path)
    {
        if (SplitCache.TryGetValue(path, out var parts)) return parts;
        parts = path.Split('.');
        if (SplitCache.Count < 10_000) SplitCache.TryAdd(path, parts);
        return parts;
    }

    /// <summary>Index of an array element named by a path component, or -1 ("01" and "-1" are not indexes).</summary>
    public static int ArrayIndex(string component)
    {
        if (component.Length == 0 || component.Length > 9) return -1;
        if (component.Length > 1 && component[0] == '0') return -1;
        var n = 0;
        foreach (var c in component)
        {
            if (c is < '0' or > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /// <summary>Plain lookup: documents by name, arrays by numeric component; no fan-out over array elements.</summary>
    public static bool TryGetValue(BsonValue root, string path, out BsonValue value) =>
        TryGetValue(root, Split(path), out value);

    public static bool TryGetValue(BsonValue root, string[] parts, out BsonValue value)
    {
        var current = root;
        foreach (var part in parts)
        {
            if (!TryGetChild(current, part, out current))
            {
                value = BsonNull.Value;
                return false;
            }
        }
        value = current;
        return true;
    }

    private static bool TryGetChild(BsonValue container, string part, out BsonValue child)
    {
        if (container is BsonDocument d) return d.TryGetValue(part, out child!);
        if (container is BsonArray a)
        {
            var i = ArrayIndex(part);
            if (i >= 0 && i < a.Count)
            {
                child = a[i];
                return true;
            }
        }
        child = BsonNull.Value;
        return false;
    }

    /// <summary>
    /// Aggregation field-path semantics ("$a.b"): arrays fan out into arrays of the values found in their elements;
    /// returns null when the path is missing.
    /// </summary>
    public static BsonValue? GetFieldPathValue(BsonValue root, string[] parts, int start = 0)
    {
        var current = root;
        for (var i = start; i < parts.Length; i++)
        {
            switch (current)
            {
                case BsonDocument d:
                    if (!d.TryGetValue(parts[i], out current!)) return null;
                    break;
                case BsonArray a:
                {
                    var result = new BsonArray(a.Count);
                    foreach (var element in a)
                    {
                        if (element is BsonDocument or BsonArray && GetFieldPathValue(element, parts, i) is { } v)
                            result.Add(v);
                    }
                    return result;
                }
                default:
                    return null;
            }
        }
        return current;
    }

    /// <summary>
    /// The query language's traversal: true when any value the path reaches passes <paramref name="test"/>.
    /// Arrays met before the last component are entered (each document element continues the path; a numeric
    /// component also picks that element); an array at the end is offered element by element and then whole when
    /// <paramref name="expandLeafArrays"/>. A missing field is offered as null. <paramref name="arrayIndex"/> gets the
    /// index within the outermost array crossed by the successful candidate (what the positional $ refers to).
    /// </summary>
    public static bool MatchAny(BsonDocument document, string[] parts, IValueTest test, bool expandLeafArrays, ref int arrayIndex) =>
        WalkDocument(document, parts, 0, test, expandLeafArrays, ref arrayIndex);

    private static bool WalkDocument(BsonDocument doc, string[] parts, int i, IValueTest test, bool expand, ref int arrayIndex)
    {
        if (!doc.TryGetValue(parts[i], out var value)) return test.Test(null, ref arrayIndex);
        return WalkValue(value, parts, i, test, expand, ref arrayIndex);
    }

    /// <summary>Continues from <paramref name="value"/>, which sits at component <paramref name="i"/>.</summary>
    private static bool WalkValue(BsonValue value, string[] parts, int i, IValueTest test, bool expand, ref int arrayIndex)
    {
        if (i == parts.Length - 1)
        {
            if (expand && value is BsonArray leaf)
            {
                for (var k = 0; k < leaf.Count; k++)
                {
                    var inner = -1;
                    if (test.Test(leaf[k], ref inner))
                    {
                        arrayIndex = k;
                        return true;
                    }
                }
            }
            return test.Test(value, ref arrayIndex);
        }
        return value switch
        {
            BsonDocument sub => WalkDocument(sub, parts, i + 1, test, expand, ref arrayIndex),
            BsonArray array => WalkArray(array, parts, i + 1, test, expand, ref arrayIndex),
            _ => test.Test(null, ref arrayIndex),
        };
    }

    private static bool WalkArray(BsonArray array, string[] parts, int j, IValueTest test, bool expand, ref int arrayIndex)
    {
        var offset = ArrayIndex(parts[j]);
        for (var k = 0; k < array.Count; k++)
        {
            var element = array[k];
            var inner = -1;
            if (k == offset)
            {
                if (WalkValue(element, parts, j, test, expand, ref inner))
                {
                    arrayIndex = k;
                    return true;
                }
            }
            else if (element is BsonDocument sub && WalkDocument(sub, parts, j, test, expand, ref inner))
            {
                arrayIndex = k;
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The values a sort on this path considers: elements of arrays (an empty array as undefined, which sorts before
    /// null), null for a missing field. Ascending sorts use the smallest, descending the largest.
    /// </summary>
    public static void CollectSortValues(BsonValue current, string[] parts, int i, List<BsonValue> into)
    {
        BsonValue value;
        if (current is BsonDocument doc)
        {
            if (!doc.TryGetValue(parts[i], out value!))
            {
                into.Add(BsonNull.Value);
                return;
            }
        }
        else
        {
            into.Add(BsonNull.Value);
            return;
        }
        if (i == parts.Length - 1)
        {
            if (value is BsonArray leaf)
            {
                if (leaf.Count == 0) into.Add(BsonUndefined.Value);
                else foreach (var e in leaf) into.Add(e);
            }
            else
            {
                into.Add(value);
            }
            return;
        }
        if (value is BsonArray array)
        {
            if (array.Count == 0)
            {
                into.Add(BsonNull.Value);
                return;
            }
            var offset = ArrayIndex(parts[i + 1]);
            for (var k = 0; k < array.Count; k++)
            {
                if (k == offset)
                {
                    if (i + 1 == parts.Length - 1) into.Add(array[k]);
                    else CollectSortValues(array[k], parts, i + 2, into);
                }
                else
                {
                    CollectSortValues(array[k], parts, i + 1, into);
                }
            }
            return;
        }
        CollectSortValues(value, parts, i + 1, into);
    }
}
