using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>Extracts index keys from a document: one value per field, arrays expanded into one key per element.</summary>
internal static class IndexKeys
{
    private const int MaxKeysPerDocument = 10_000;

    public static List<BsonValue[]> Extract(BsonDocument document, (string Path, int Direction)[] fields, out bool multikey)
    {
        multikey = false;
        var perField = new List<BsonValue>[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var values = new List<BsonValue>(1);
            Collect(document, fields[i].Path.Split('.'), 0, values, ref multikey);
            if (values.Count == 0) values.Add(BsonNull.Value);
            perField[i] = values;
        }
        var keys = new List<BsonValue[]> { new BsonValue[fields.Length] };
        for (var i = 0; i < fields.Length; i++)
        {
            if (perField[i].Count == 1)
            {
                foreach (var key in keys) key[i] = perField[i][0];
                continue;
            }
            var expanded = new List<BsonValue[]>(keys.Count * perField[i].Count);
            foreach (var key in keys)
            {
                foreach (var value in perField[i])
                {
                    var copy = (BsonValue[])key.Clone();
                    copy[i] = value;
                    expanded.Add(copy);
                }
            }
            if (expanded.Count > MaxKeysPerDocument)
                throw new MongoError(171, "CannotIndexParallelArrays", "cannot index parallel arrays");
            keys = expanded;
        }
        return keys;
    }

    private static void Collect(BsonValue current, string[] parts, int depth, List<BsonValue> output, ref bool multikey)
    {
        if (depth == parts.Length)
        {
            if (current is BsonArray array)
            {
                multikey = true;
                if (array.Count == 0) output.Add(BsonUndefined.Value);
                foreach (var item in array) AddDistinct(output, item);
            }
            else
            {
                AddDistinct(output, current);
            }
            return;
        }
        switch (current)
        {
            case BsonDocument doc:
                // A document without the field contributes a null key, so {path: null} still finds it.
                if (doc.TryGetValue(parts[depth], out var next)) Collect(next, parts, depth + 1, output, ref multikey);
                else AddDistinct(output, BsonNull.Value);
                break;
            case BsonArray array:
                multikey = true;
                if (int.TryParse(parts[depth], out var index) && index >= 0 && index < array.Count)
                {
                    Collect(array[index], parts, depth + 1, output, ref multikey);
                }
                foreach (var item in array)
                {
                    if (item is BsonDocument) Collect(item, parts, depth, output, ref multikey);
                }
                break;
        }
    }

    private static void AddDistinct(List<BsonValue> output, BsonValue value)
    {
        foreach (var existing in output)
        {
            if (existing.Equals(value)) return;
        }
        output.Add(value);
    }
}
