using System.Text.RegularExpressions;
using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Update;

/// <summary>
/// The <c>arrayFilters</c> of an update, keyed by identifier: <c>{i: {$gt: 5}}</c> matches an array element when
/// the element, named <c>i</c>, satisfies the filter.
/// </summary>
internal sealed partial class ArrayFilterSet
{
    public static readonly ArrayFilterSet Empty = new([]);

    private readonly Dictionary<string, Filter> _filters;

    private ArrayFilterSet(Dictionary<string, Filter> filters) => _filters = filters;

    public IEnumerable<string> Identifiers => _filters.Keys;

    public bool Contains(string identifier) => _filters.ContainsKey(identifier);

    public bool Matches(string identifier, BsonValue element) =>
        _filters[identifier].Matches(new BsonDocument(identifier, element));

    public static ArrayFilterSet Parse(BsonArray? arrayFilters, QueryContext context)
    {
        if (arrayFilters is null || arrayFilters.Count == 0) return Empty;
        var filters = new Dictionary<string, Filter>(StringComparer.Ordinal);
        foreach (var raw in arrayFilters)
        {
            if (raw is not BsonDocument spec)
                throw MongoError.TypeMismatch($"Each array filter must be an object, found {UpdatePaths.TypeName(raw)}");
            var identifier = TopLevelName(spec)
                ?? throw MongoError.FailedToParse("Cannot use an expression without a top-level field name in arrayFilters");
            if (!IdentifierPattern().IsMatch(identifier))
                throw MongoError.BadValue(
                    "Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric " +
                    $"string beginning with a lowercase letter, found '{identifier}'");
            if (filters.ContainsKey(identifier))
                throw MongoError.FailedToParse($"Found multiple array filters with the same top-level field name {identifier}");
            filters.Add(identifier, Filter.Compile(spec, context));
        }
        return new ArrayFilterSet(filters);
    }

    private static string? TopLevelName(BsonDocument spec)
    {
        string? found = null;
        foreach (var name in Names(spec))
        {
            if (found is not null && found != name)
                throw MongoError.FailedToParse(
                    $"Error parsing array filter :: caused by :: Expected a single top-level field name, found '{found}' and '{name}'");
            found = name;
        }
        return found;
    }

    private static IEnumerable<string> Names(BsonDocument spec)
    {
        foreach (var element in spec)
        {
            if (element.Name == "$expr")
                throw new MongoError(224, "QueryFeatureNotAllowed", "$expr is not allowed in this context");
            if (element.Name is "$and" or "$or" or "$nor")
            {
                if (element.Value is not BsonArray clauses) continue;
                foreach (var clause in clauses.OfType<BsonDocument>())
                {
                    foreach (var name in Names(clause)) yield return name;
                }
            }
            else if (!element.Name.StartsWith('$'))
            {
                var dot = element.Name.IndexOf('.');
                yield return dot < 0 ? element.Name : element.Name[..dot];
            }
        }
    }

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$")]
    private static partial Regex IdentifierPattern();
}
