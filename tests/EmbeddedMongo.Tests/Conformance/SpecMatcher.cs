using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Tests.Conformance;

/// <summary>
/// Compares an expected spec value with an actual one, as the legacy-v1 CRUD README describes:
/// int32, int64 and double are equal when their values are; key order never matters; arrays match
/// element by element; actual documents may carry fields the expected ones lack, depending on the mode.
/// </summary>
internal static class SpecMatcher
{
    public enum Mode
    {
        /// <summary>Extra fields allowed in any actual document, at any depth.</summary>
        Subset,

        /// <summary>Extra fields allowed only at the top level (write results: only the named fields count).</summary>
        Root,

        /// <summary>No extra fields anywhere.</summary>
        Exact,
    }

    /// <summary>Null when they match, else where and how they differ.</summary>
    public static string? Match(BsonValue expected, BsonValue? actual, Mode mode) => Match(expected, actual, mode, "", true);

    /// <summary>Lists of root documents (cursor results, collection contents).</summary>
    public static string? MatchList(BsonArray expected, IEnumerable<BsonValue> actualValues, Mode mode)
    {
        var actual = actualValues.ToList();
        if (expected.Count != actual.Count)
            return $"expected {expected.Count} document(s), got {actual.Count}";
        for (var i = 0; i < expected.Count; i++)
        {
            var m = Match(expected[i], actual[i], mode, $"[{i}]", true);
            if (m is not null)
                return m;
        }
        return null;
    }

    public static string Show(BsonValue? value)
    {
        if (value is null)
            return "(missing)";
        var text = value.ToJson(new MongoDB.Bson.IO.JsonWriterSettings { OutputMode = MongoDB.Bson.IO.JsonOutputMode.RelaxedExtendedJson });
        return text.Length > 500 ? text[..500] + "..." : text;
    }

    private static string? Match(BsonValue expected, BsonValue? actual, Mode mode, string path, bool root)
    {
        var here = path.Length == 0 ? "(top)" : path;
        switch (expected)
        {
            case BsonDocument e:
                if (actual is not BsonDocument a)
                    return Differ(here, expected, actual, "expected a document");
                foreach (var element in e)
                {
                    var childPath = path.Length == 0 ? element.Name : $"{path}.{element.Name}";
                    if (!a.TryGetValue(element.Name, out var child))
                        return Differ(childPath, element.Value, null, "field missing");
                    var m = Match(element.Value, child, mode, childPath, false);
                    if (m is not null)
                        return m;
                }
                if (mode == Mode.Exact || (mode == Mode.Root && !root))
                {
                    var extra = a.Names.Where(n => !e.Contains(n)).ToList();
                    if (extra.Count > 0)
                        return Differ(here, expected, actual, "unexpected field(s): " + string.Join(", ", extra));
                }
                return null;

            case BsonArray e:
                if (actual is not BsonArray arr)
                    return Differ(here, expected, actual, "expected an array");
                if (e.Count != arr.Count)
                    return Differ(here, expected, actual, $"expected {e.Count} element(s), got {arr.Count}");
                for (var i = 0; i < e.Count; i++)
                {
                    var m = Match(e[i], arr[i], mode, $"{path}[{i}]", false);
                    if (m is not null)
                        return m;
                }
                return null;

            default:
                if (IsFlexibleNumber(expected))
                {
                    if (actual is null || !IsFlexibleNumber(actual))
                        return Differ(here, expected, actual, "expected a number");
                    return NumbersEqual(expected, actual) ? null : Differ(here, expected, actual, null);
                }
                if (actual is null)
                    return Differ(here, expected, actual, "field missing");
                if (expected.BsonType != actual.BsonType)
                    return Differ(here, expected, actual, $"expected type {expected.BsonType}, got {actual.BsonType}");
                return expected.Equals(actual) ? null : Differ(here, expected, actual, null);
        }
    }

    private static bool IsFlexibleNumber(BsonValue v) => v.BsonType is BsonType.Int32 or BsonType.Int64 or BsonType.Double;

    private static bool NumbersEqual(BsonValue a, BsonValue b)
    {
        if (a.BsonType != BsonType.Double && b.BsonType != BsonType.Double)
            return a.ToInt64() == b.ToInt64();
        var x = a.ToDouble();
        var y = b.ToDouble();
        return x.Equals(y);
    }

    private static string Differ(string path, BsonValue expected, BsonValue? actual, string? note) =>
        $"at {path}: expected {Show(expected)}, got {Show(actual)}" + (note is null ? "" : $" ({note})");
}
