using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Update;

/// <summary>Dotted-path helpers of the update engine (array indexes, path creation, error texts).</summary>
internal static class UpdatePaths
{
    /// <summary>MongoDB refuses to pad an array with more nulls than this.</summary>
    public const int MaxPadding = 1_500_000;

    public static bool IsPositional(string part) => part == "$";

    public static bool IsArrayFilter(string part) => part.Length >= 3 && part[0] == '$' && part[1] == '[' && part[^1] == ']';

    public static string Join(string prefix, string part) => prefix.Length == 0 ? part : prefix + "." + part;

    /// <summary>Parses an unsigned base-10 array index ("0", "12"); huge indexes saturate at int.MaxValue.</summary>
    public static bool TryIndex(string part, out int index)
    {
        index = 0;
        if (part.Length == 0) return false;
        long value = 0;
        foreach (var c in part)
        {
            if (c is < '0' or > '9') return false;
            if (value < int.MaxValue) value = value * 10 + (c - '0');
        }
        index = (int)Math.Min(value, int.MaxValue);
        return true;
    }

    /// <summary>Gets the value at a dotted path without traversing arrays except by numeric index.</summary>
    public static BsonValue? Get(BsonValue root, string path)
    {
        var current = root;
        foreach (var part in path.Split('.'))
        {
            switch (current)
            {
                case BsonDocument d when d.TryGetValue(part, out var v):
                    current = v;
                    break;
                case BsonArray a when TryIndex(part, out var i) && i < a.Count:
                    current = a[i];
                    break;
                default:
                    return null;
            }
        }
        return current;
    }

    /// <summary>
    /// Creates <paramref name="at"/>'s missing parts under its deepest existing element and stores
    /// <paramref name="value"/> at the end, padding arrays with nulls; PathNotViable through a scalar or by name into an array.
    /// </summary>
    public static void Create(UpdateLocation at, BsonValue value)
    {
        var parts = at.ToCreate;
        var nested = value;
        for (var i = parts.Count - 1; i >= 1; i--) nested = new BsonDocument(parts[i], nested);
        switch (at.Element)
        {
            case BsonDocument d:
                d.Add(parts[0], nested);
                break;
            case BsonArray a when TryIndex(parts[0], out var index):
                if (index - a.Count > MaxPadding)
                    throw new MongoError(34, "CannotBackfillArray", $"can't backfill more than {MaxPadding} elements");
                while (a.Count < index) a.Add(BsonNull.Value);
                a.Add(nested);
                break;
            default:
                throw MongoError.PathNotViable($"Cannot create field '{parts[0]}' in element {{{at.Key}: {Show(at.Element)}}}");
        }
    }

    public static string Show(BsonValue value)
    {
        try
        {
            return value.ToJson();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or FormatException)
        {
            return value.ToString() ?? "";
        }
    }

    public static string ShowId(BsonDocument document) =>
        document.TryGetValue("_id", out var id) ? "_id: " + Show(id) : "no id";

    public static string TypeName(BsonValue value) => BsonTypeNames.Of(value);

    /// <summary>Values from the compiled spec are shared between documents, so containers are copied when stored.</summary>
    public static BsonValue Fresh(BsonValue value) => value is BsonDocument or BsonArray ? value.DeepClone() : value;

    /// <summary>MongoDB's parseIntegerElementToLong: an int, long, or a double/decimal holding an integral value.</summary>
    public static bool TryInteger(BsonValue value, out long result)
    {
        result = 0;
        switch (value.BsonType)
        {
            case BsonType.Int32:
                result = value.AsInt32;
                return true;
            case BsonType.Int64:
                result = value.AsInt64;
                return true;
            case BsonType.Double:
            {
                var d = value.AsDouble;
                if (double.IsNaN(d) || d != Math.Floor(d) || d < long.MinValue || d >= 9.2233720368547758E18) return false;
                result = (long)d;
                return true;
            }
            case BsonType.Decimal128:
                try
                {
                    var m = Decimal128.ToDecimal(value.AsDecimal128);
                    if (m != decimal.Truncate(m)) return false;
                    result = (long)m;
                    return true;
                }
                catch (OverflowException)
                {
                    return false;
                }
            default:
                return false;
        }
    }
}
