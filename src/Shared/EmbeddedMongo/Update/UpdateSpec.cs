using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Update;

// PLACEHOLDER (owned by the update work): replacement and top-level $set only.
internal sealed class UpdateSpec
{
    private readonly BsonValue _spec;

    private UpdateSpec(BsonValue spec) => _spec = spec;

    public bool IsReplacement => _spec is BsonDocument d && (d.ElementCount == 0 || !d.GetElement(0).Name.StartsWith('$'));

    /// <summary>Parses and validates an update document, a replacement or an aggregation pipeline (array).</summary>
    public static UpdateSpec Compile(BsonValue update, BsonArray? arrayFilters, QueryContext context) => new(update);

    /// <summary>
    /// Applies the update to a copy of <paramref name="original"/> (never mutating it) and returns the new document.
    /// <paramref name="changed"/> is false when the result equals the original. Throws <see cref="MongoError"/> for an
    /// invalid update (e.g. ImmutableField when _id would change).
    /// </summary>
    public BsonDocument Apply(BsonDocument original, int? positionalIndex, bool isUpsertInsert, out bool changed)
    {
        var copy = original.DeepClone().AsBsonDocument;
        if (IsReplacement)
        {
            var replacement = _spec.AsBsonDocument.DeepClone().AsBsonDocument;
            if (copy.TryGetValue("_id", out var id)) replacement.InsertAt(0, new BsonElement("_id", id));
            changed = !replacement.Equals(original);
            return replacement;
        }
        foreach (var op in _spec.AsBsonDocument)
        {
            if (op.Name == "$set") foreach (var e in op.Value.AsBsonDocument) copy[e.Name] = e.Value;
        }
        changed = !copy.Equals(original);
        return copy;
    }

    /// <summary>The document an upsert starts from: the filter's equality fields (without operators).</summary>
    public static BsonDocument SeedFromFilter(BsonDocument filter)
    {
        var seed = new BsonDocument();
        foreach (var e in filter)
        {
            if (!e.Name.StartsWith('$') && e.Value is not BsonDocument) seed[e.Name] = e.Value;
        }
        return seed;
    }
}
