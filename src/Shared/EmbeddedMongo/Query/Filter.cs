using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

// PLACEHOLDER (owned by the query work): top-level equality only.
internal sealed class Filter
{
    private readonly BsonDocument _spec;

    private Filter(BsonDocument spec) => _spec = spec;

    public bool IsEmpty => _spec.ElementCount == 0;

    public static Filter Compile(BsonDocument filter, QueryContext context) => new(filter);

    public bool Matches(BsonDocument document) => Matches(document, out _);

    /// <summary>Matches; <paramref name="positionalIndex"/> is the array index the positional <c>$</c> refers to.</summary>
    public bool Matches(BsonDocument document, out int? positionalIndex)
    {
        positionalIndex = null;
        foreach (var element in _spec)
        {
            if (!document.TryGetValue(element.Name, out var value) || !value.Equals(element.Value)) return false;
        }
        return true;
    }
}
