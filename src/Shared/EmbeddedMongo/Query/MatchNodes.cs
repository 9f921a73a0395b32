using MongoDB.Bson;
using Monolith.EmbeddedMongo.Aggregation;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>One compiled predicate over a whole document. <c>positional</c> receives the positional $ index, if any.</summary>
internal abstract class MatchNode
{
    public abstract bool Matches(BsonDocument document, ref int positional);
}

internal sealed class ConstantNode(bool result) : MatchNode
{
    public static readonly ConstantNode True = new(true);
    public static readonly ConstantNode False = new(false);

    public bool Result => result;

    public override bool Matches(BsonDocument document, ref int positional) => result;
}

internal sealed class AndNode(MatchNode[] children) : MatchNode
{
    public override bool Matches(BsonDocument document, ref int positional)
    {
        foreach (var child in children)
        {
            if (!child.Matches(document, ref positional)) return false;
        }
        return true;
    }
}

internal sealed class OrNode(MatchNode[] children) : MatchNode
{
    public override bool Matches(BsonDocument document, ref int positional)
    {
        var before = positional;
        foreach (var child in children)
        {
            if (child.Matches(document, ref positional)) return true;
            positional = before; // a partly matching branch must not leave its array index behind
        }
        return false;
    }
}

/// <summary>$nor, and $not / $ne / $nin (which negate over all the values a path reaches, not per value).</summary>
internal sealed class NotNode(MatchNode child) : MatchNode
{
    public override bool Matches(BsonDocument document, ref int positional)
    {
        var ignored = -1;
        return !child.Matches(document, ref ignored);
    }
}

/// <summary>A test applied to the values a dotted path reaches; true when any of them passes.</summary>
internal sealed class PathNode(string[] parts, IValueTest test, bool expandLeafArrays) : MatchNode
{
    public override bool Matches(BsonDocument document, ref int positional)
    {
        var index = -1;
        if (!BsonPath.MatchAny(document, parts, test, expandLeafArrays, ref index)) return false;
        if (index >= 0) positional = index;
        return true;
    }
}

/// <summary>$sampleRate: each document matches with the given probability.</summary>
internal sealed class SampleRateNode(double rate) : MatchNode
{
    public override bool Matches(BsonDocument document, ref int positional) => Random.Shared.NextDouble() < rate;
}

internal sealed class JsonSchemaNode(JsonSchema schema) : MatchNode
{
    public override bool Matches(BsonDocument document, ref int positional) => schema.IsValid(document);
}

internal sealed class ExprNode(BsonValue expression, QueryContext context) : MatchNode
{
    // Compiled with the filter, so an unknown operator or undefined variable fails the command up front.
    private readonly CompiledExpression _expression = Expressions.Compile(expression, context);

    public override bool Matches(BsonDocument document, ref int positional) => _expression.IsTrue(document);
}
