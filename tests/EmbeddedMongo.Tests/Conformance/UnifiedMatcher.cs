using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Tests.Conformance;

/// <summary>
/// The unified test format's matching rules: root-level documents may carry extra fields, nested ones may not;
/// numbers compare by value; the special operators $$exists, $$type, $$unsetOrMatches and $$lte.
/// </summary>
internal static class UnifiedMatcher
{
    private static readonly Dictionary<string, BsonType[]> TypeAliases = new()
    {
        ["double"] = [BsonType.Double], ["string"] = [BsonType.String], ["object"] = [BsonType.Document],
        ["array"] = [BsonType.Array], ["binData"] = [BsonType.Binary], ["objectId"] = [BsonType.ObjectId],
        ["bool"] = [BsonType.Boolean], ["date"] = [BsonType.DateTime], ["null"] = [BsonType.Null],
        ["regex"] = [BsonType.RegularExpression], ["int"] = [BsonType.Int32], ["timestamp"] = [BsonType.Timestamp],
        ["long"] = [BsonType.Int64], ["decimal"] = [BsonType.Decimal128],
        ["number"] = [BsonType.Int32, BsonType.Int64, BsonType.Double, BsonType.Decimal128],
    };

    public static string? Match(BsonValue expected, BsonValue? actual, bool root = true, string path = "")
    {
        var here = path.Length == 0 ? "(top)" : path;
        if (expected is BsonDocument { ElementCount: 1 } op && op.GetElement(0).Name.StartsWith("$$", StringComparison.Ordinal))
            return Operator(op.GetElement(0), actual, root, here);

        switch (expected)
        {
            case BsonDocument e:
                if (actual is not BsonDocument a)
                    return $"at {here}: expected a document {SpecMatcher.Show(expected)}, got {SpecMatcher.Show(actual)}";
                foreach (var element in e)
                {
                    var child = path.Length == 0 ? element.Name : $"{path}.{element.Name}";
                    a.TryGetValue(element.Name, out var actualChild);
                    var isOperator = element.Value is BsonDocument { ElementCount: 1 } d && d.GetElement(0).Name is "$$exists" or "$$unsetOrMatches";
                    if (actualChild is null && !isOperator)
                        return $"at {child}: field missing (expected {SpecMatcher.Show(element.Value)})";
                    var m = Match(element.Value, actualChild, false, child);
                    if (m is not null)
                        return m;
                }
                if (!root)
                {
                    var extra = a.Names.Where(n => !e.Contains(n)).ToList();
                    if (extra.Count > 0)
                        return $"at {here}: unexpected field(s) {string.Join(", ", extra)} in {SpecMatcher.Show(actual)}";
                }
                return null;

            case BsonArray e:
                if (actual is not BsonArray arr)
                    return $"at {here}: expected an array {SpecMatcher.Show(expected)}, got {SpecMatcher.Show(actual)}";
                if (e.Count != arr.Count)
                    return $"at {here}: expected {e.Count} element(s), got {arr.Count}: {SpecMatcher.Show(actual)}";
                for (var i = 0; i < e.Count; i++)
                {
                    // Elements of a root-level array (a cursor's documents) are root-level documents.
                    var m = Match(e[i], arr[i], root, $"{path}[{i}]");
                    if (m is not null)
                        return m;
                }
                return null;

            default:
                return SpecMatcher.Match(expected, actual, SpecMatcher.Mode.Exact) is { } mismatch ? $"at {here}: {mismatch}" : null;
        }
    }

    private static string? Operator(BsonElement op, BsonValue? actual, bool root, string here)
    {
        switch (op.Name)
        {
            case "$$exists":
                return op.Value.ToBoolean() == (actual is not null) ? null : $"at {here}: expected the field {(op.Value.ToBoolean() ? "present" : "absent")}";
            case "$$unsetOrMatches":
                return actual is null ? null : Match(op.Value, actual, root, here);
            case "$$type":
                var names = op.Value is BsonArray list ? list.Select(v => v.AsString) : [op.Value.AsString];
                var types = names.SelectMany(n => TypeAliases.TryGetValue(n, out var t) ? t : throw new UnsupportedSpecException($"$$type {n}")).ToHashSet();
                return actual is not null && types.Contains(actual.BsonType) ? null : $"at {here}: expected type {op.Value}, got {SpecMatcher.Show(actual)}";
            case "$$lte":
                return actual is { IsNumeric: true } && actual.ToDouble() <= op.Value.ToDouble() ? null : $"at {here}: expected <= {op.Value}, got {SpecMatcher.Show(actual)}";
            default:
                throw new UnsupportedSpecException($"matching operator {op.Name}");
        }
    }
}
