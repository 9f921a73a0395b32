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
}
