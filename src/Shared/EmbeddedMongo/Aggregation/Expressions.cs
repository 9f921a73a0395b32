using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>The aggregation expression language, shared by pipeline stages and <c>$expr</c> in filters.</summary>
internal static class Expressions
{
    /// <summary>Evaluates an aggregation expression against <paramref name="root"/> ($$ROOT/$$CURRENT); missing becomes null.</summary>
    public static BsonValue Evaluate(BsonValue expression, BsonDocument root, QueryContext context) =>
        Compile(expression, context).Evaluate(root) ?? BsonNull.Value;

    /// <summary>Parses once (unknown operators and undefined variables fail here); evaluate per document.</summary>
    public static CompiledExpression Compile(BsonValue expression, QueryContext context) =>
        new(ExpressionCompiler.Compile(expression, new ParseScope(context)), context);

    /// <summary>MongoDB truthiness: false, null, missing, undefined and numeric zero are false.</summary>
    public static bool IsTrue(BsonValue? value) => Values.IsTrue(value);
}

/// <summary>An expression compiled once against a context, evaluated per document.</summary>
internal sealed class CompiledExpression(Expr expr, QueryContext context)
{
    /// <summary>The value, or null when the expression yields "missing" (e.g. an absent field, <c>$$REMOVE</c>).</summary>
    public BsonValue? Evaluate(BsonDocument root) => expr(new Scope(root, context));

    /// <summary>Whether the value is truthy, as <c>$expr</c> in a filter needs.</summary>
    public bool IsTrue(BsonDocument root) => Values.IsTrue(Evaluate(root));
}
