using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>Dotted-path reads and copy-on-write sets, never mutating the documents handed in.</summary>
internal static class DocumentPaths
{
    /// <summary>The value at a dotted path through embedded documents only (no array traversal), or null when missing.</summary>
    public static BsonValue? Get(BsonDocument document, string[] path)
    {
        BsonValue current = document;
        foreach (var part in path)
        {
            if (current is not BsonDocument d || !d.TryGetValue(part, out var next)) return null;
            current = next;
        }
        return current;
    }

    /// <summary>A shallow copy of <paramref name="document"/> with the path set, copying each document along the path.</summary>
    public static BsonDocument With(BsonDocument document, string[] path, BsonValue value)
    {
        var copy = new BsonDocument(document.AsEnumerable());
        var current = copy;
        for (var i = 0; i < path.Length - 1; i++)
        {
            var next = current.TryGetValue(path[i], out var existing) && existing is BsonDocument d
                ? new BsonDocument(d.AsEnumerable())
                : [];
            current[path[i]] = next;
            current = next;
        }
        current[path[^1]] = value;
        return copy;
    }

    /// <summary>
    /// Values at the path with arrays expanded. <paramref name="asQuery"/> adds what a query equality also matches on:
    /// whole arrays, and null where the field is missing.
    /// </summary>
    public static void CollectQueryValues(BsonValue value, string[] path, int index, List<BsonValue> output, bool asQuery)
    {
        if (index == path.Length)
        {
            if (value is BsonArray arr)
            {
                output.AddRange(arr);
                if (asQuery) output.Add(arr);
            }
            else
            {
                output.Add(value);
            }
            return;
        }
        switch (value)
        {
            case BsonDocument d:
                if (d.TryGetValue(path[index], out var next)) CollectQueryValues(next, path, index + 1, output, asQuery);
                else if (asQuery) output.Add(BsonNull.Value);
                break;
            case BsonArray a:
                if (int.TryParse(path[index], out var i) && i >= 0 && i < a.Count)
                    CollectQueryValues(a[i], path, index + 1, output, asQuery);
                foreach (var e in a)
                {
                    if (e is BsonDocument) CollectQueryValues(e, path, index, output, asQuery);
                }
                break;
            default:
                if (asQuery) output.Add(BsonNull.Value);
                break;
        }
    }

    public static string[] Split(string path) => ExpressionCompiler.SplitPath(path);
}
