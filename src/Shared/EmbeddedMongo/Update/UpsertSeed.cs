using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Update;

/// <summary>
/// The document an upsert starts from: the equality conditions of the filter (<c>field: value</c>,
/// <c>field: {$eq: value}</c>, a one-value <c>$in</c>, <c>$all</c> values, inside top-level <c>$and</c> or a
/// one-clause <c>$or</c>; a path pinned twice is NotSingleValueField as in MongoDB),
/// dotted paths expanded into embedded documents, fields in path order, <c>_id</c> first.
/// </summary>
internal static class UpsertSeed
{
    public static BsonDocument FromFilter(BsonDocument filter, bool idOnly = false)
    {
        if (HasExpr(filter))
            throw new MongoError(224, "QueryFeatureNotAllowed", "$expr is not allowed in the query predicate for an upsert");
        var equalities = new SortedDictionary<string, BsonValue>(StringComparer.Ordinal);
        Collect(filter, equalities, idOnly);
        var seed = new BsonDocument();
        foreach (var (path, value) in equalities) Set(seed, path.Split('.'), UpdatePaths.Fresh(value));
        if (seed.TryGetValue("_id", out var id) && seed.IndexOfName("_id") != 0)
        {
            seed.Remove("_id");
            seed.InsertAt(0, new BsonElement("_id", id));
        }
        return seed;
    }

    private static void Collect(BsonDocument filter, SortedDictionary<string, BsonValue> equalities, bool idOnly)
    {
        foreach (var element in filter)
        {
            switch (element.Name)
            {
                case "$and" when element.Value is BsonArray clauses:
                    foreach (var clause in clauses.OfType<BsonDocument>()) Collect(clause, equalities, idOnly);
                    continue;
                case "$or" when element.Value is BsonArray { Count: 1 } clauses && clauses[0] is BsonDocument only:
                    Collect(only, equalities, idOnly);
                    continue;
            }
            if (element.Name.StartsWith('$')) continue;
            if (idOnly && element.Name != "_id") continue;
            foreach (var value in Equalities(element.Value)) Add(equalities, element.Name, value);
        }
    }

    private static bool HasExpr(BsonDocument filter) =>
        filter.Any(e => e.Name == "$expr"
            || (e.Name is "$and" or "$or" or "$nor" && e.Value is BsonArray clauses && clauses.OfType<BsonDocument>().Any(HasExpr)));

    /// <summary>The values a condition pins its path to: a literal, <c>$eq</c>, a one-value <c>$in</c>, each <c>$all</c> value.</summary>
    private static IEnumerable<BsonValue> Equalities(BsonValue condition)
    {
        if (condition is BsonRegularExpression) yield break;
        if (condition is not BsonDocument doc || doc.ElementCount == 0 || !doc.GetElement(0).Name.StartsWith('$'))
        {
            yield return condition;
            yield break;
        }
        foreach (var op in doc)
        {
            switch (op.Name)
            {
                case "$eq":
                    yield return op.Value;
                    break;
                case "$in" when op.Value is BsonArray { Count: 1 } one && one[0] is not BsonRegularExpression:
                    yield return one[0];
                    break;
                case "$all" when op.Value is BsonArray all:
                    foreach (var value in all)
                    {
                        if (value is BsonRegularExpression || value is BsonDocument { ElementCount: > 0 } d && d.GetElement(0).Name.StartsWith('$')) continue;
                        yield return value;
                    }
                    break;
            }
        }
    }

    private static void Add(SortedDictionary<string, BsonValue> equalities, string path, BsonValue value)
    {
        foreach (var existing in equalities.Keys)
        {
            if (existing == path)
                throw new MongoError(54, "NotSingleValueField", $"cannot infer query fields to set, path '{path}' is matched twice");
            if (path.StartsWith(existing + ".", StringComparison.Ordinal) || existing.StartsWith(path + ".", StringComparison.Ordinal))
            {
                var (longer, shorter) = path.Length > existing.Length ? (path, existing) : (existing, path);
                throw new MongoError(54, "NotSingleValueField",
                    $"cannot infer query fields to set, both paths '{longer}' and '{shorter}' are matched");
            }
        }
        equalities.Add(path, value);
    }

    private static void Set(BsonDocument seed, string[] parts, BsonValue value)
    {
        var current = seed;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (current.TryGetValue(parts[i], out var next) && next is BsonDocument d)
            {
                current = d;
                continue;
            }
            var created = new BsonDocument();
            current[parts[i]] = created;
            current = created;
        }
        current[parts[^1]] = value;
    }
}
