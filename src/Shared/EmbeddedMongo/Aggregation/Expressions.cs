using System.Runtime.CompilerServices;
using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>The aggregation expression language, shared by pipeline stages and <c>$expr</c> in filters.</summary>
internal static class Expressions
{
    // Callers that evaluate the same expression instance per document get it compiled once.
    private static readonly ConditionalWeakTable<BsonValue, Expr> Compiled = new();

    /// <summary>Evaluates an aggregation expression against <paramref name="root"/> ($$ROOT/$$CURRENT); missing becomes null.</summary>
    public static BsonValue Evaluate(BsonValue expression, BsonDocument root, QueryContext context) =>
        EvaluateOrMissing(expression, root, context) ?? BsonNull.Value;

    /// <summary>Like <see cref="Evaluate"/> but returns null for "missing" (an absent field, <c>$$REMOVE</c>).</summary>
    public static BsonValue? EvaluateOrMissing(BsonValue expression, BsonDocument root, QueryContext context)
    {
        if (!Compiled.TryGetValue(expression, out var expr))
        {
            expr = ExpressionCompiler.Compile(expression, new ParseScope(context));
            Compiled.AddOrUpdate(expression, expr);
        }
        return expr(new Scope(root, context));
    }

    /// <summary>Parses once (unknown operators and undefined variables fail here); evaluate per document.</summary>
    public static CompiledExpression Compile(BsonValue expression, QueryContext context) =>
        new(ExpressionCompiler.Compile(expression, new ParseScope(context)), context);

    /// <summary>MongoDB truthiness: false, null, missing, undefined and numeric zero are false.</summary>
    public static bool IsTrue(BsonValue? value) => Values.IsTrue(value);

    /// <summary>
    /// Evaluates a command's <c>let</c> document once (values are expressions: <c>{$literal: "$x"}</c>, <c>$$NOW</c>),
    /// giving the constants to put into <see cref="QueryContext.Variables"/>.
    /// </summary>
    public static BsonDocument EvaluateVariables(BsonDocument let, QueryContext context)
    {
        var values = new BsonDocument();
        var empty = new BsonDocument();
        foreach (var e in let)
        {
            if (e.Name.Length == 0 || !(char.IsLower(e.Name[0]) || e.Name[0] > 127))
                throw MongoError.Location(16867, $"'{e.Name}' starts with an invalid character for a user variable name");
            values[e.Name] = Compile(e.Value, context).Evaluate(empty) ?? BsonNull.Value;
        }
        return values;
    }
}

/// <summary>An expression compiled once against a context, evaluated per document.</summary>
internal sealed class CompiledExpression(Expr expr, QueryContext context)
{
    /// <summary>The value, or null when the expression yields "missing" (e.g. an absent field, <c>$$REMOVE</c>).</summary>
    public BsonValue? Evaluate(BsonDocument root) => expr(new Scope(root, context));

    /// <summary>Whether the value is truthy, as <c>$expr</c> in a filter needs.</summary>
    public bool IsTrue(BsonDocument root) => Values.IsTrue(Evaluate(root));
}
