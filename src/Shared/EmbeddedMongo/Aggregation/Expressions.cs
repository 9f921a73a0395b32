using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

// PLACEHOLDER (owned by the aggregation work): field paths and literals only.
internal static class Expressions
{
    /// <summary>Evaluates an aggregation expression against <paramref name="root"/> ($$ROOT/$$CURRENT).</summary>
    public static BsonValue Evaluate(BsonValue expression, BsonDocument root, QueryContext context)
    {
        if (expression is BsonString s && s.Value.StartsWith('$') && !s.Value.StartsWith("$$"))
            return root.GetValue(s.Value[1..], BsonNull.Value);
        return expression;
    }
}
