using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Update;

/// <summary>What every node sees while one update is applied to one document.</summary>
internal sealed class UpdateApplyState(BsonDocument root, string? matchedField, bool isUpsertInsert, QueryContext context)
{
    /// <summary>The copy being modified.</summary>
    public BsonDocument Root { get; } = root;

    /// <summary>The array index the positional <c>$</c> stands for (from the filter match), if any.</summary>
    public string? MatchedField { get; } = matchedField;

    public bool IsUpsertInsert { get; } = isUpsertInsert;

    public QueryContext Context { get; } = context;

    private readonly HashSet<BsonValue> _owned = new(ReferenceEqualityComparer.Instance) { root };

    /// <summary>
    /// The container at <paramref name="index"/> of an owned document, made private to this update on first use: a
    /// shallow copy replaces it in its parent, and later visits get that same copy (never a second one, which would
    /// leave earlier holders of the first copy writing into a detached container).
    /// </summary>
    public BsonValue Own(BsonDocument parent, int index)
    {
        var child = parent[index];
        if (child is not (BsonDocument or BsonArray) || _owned.Contains(child)) return child;
        var copy = child.Clone();
        _owned.Add(copy);
        parent[index] = copy;
        return copy;
    }

    /// <inheritdoc cref="Own(BsonDocument, int)"/>
    public BsonValue Own(BsonArray parent, int index)
    {
        var child = parent[index];
        if (child is not (BsonDocument or BsonArray) || _owned.Contains(child)) return child;
        var copy = child.Clone();
        _owned.Add(copy);
        parent[index] = copy;
        return copy;
    }
}
