using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>A query filter compiled once into a tree of predicates, then run per document.</summary>
internal sealed class Filter
{
    private static readonly Filter Empty = new(ConstantNode.True, isEmpty: true);

    private readonly MatchNode _root;

    private Filter(MatchNode root, bool isEmpty)
    {
        _root = root;
        IsEmpty = isEmpty;
    }

    /// <summary>True for <c>{}</c>: every document matches.</summary>
    public bool IsEmpty { get; }

    /// <summary>True when the filter is known to match nothing (e.g. <c>$alwaysFalse</c>).</summary>
    public bool MatchesNothing => _root is ConstantNode { Result: false };

    /// <summary>Parses and validates <paramref name="filter"/>; throws <see cref="MongoError"/> (BadValue) when malformed.</summary>
    public static Filter Compile(BsonDocument filter, QueryContext context)
    {
        if (filter.ElementCount == 0) return Empty;
        var root = FilterParser.ParseDocument(filter, context);
        return new Filter(root, root is ConstantNode { Result: true });
    }

    public bool Matches(BsonDocument document)
    {
        var ignored = -1;
        return _root.Matches(document, ref ignored);
    }

    /// <summary>Matches; <paramref name="positionalIndex"/> is the array index the positional <c>$</c> refers to.</summary>
    public bool Matches(BsonDocument document, out int? positionalIndex)
    {
        var index = -1;
        var matched = _root.Matches(document, ref index);
        positionalIndex = matched && index >= 0 ? index : null;
        return matched;
    }

    /// <summary>
    /// A condition on one array element, as $pull and arrayFilters-like callers need it: an operator document
    /// (<c>{$gte: 6}</c>) tests the element itself, any other document is a query on an element that is a document,
    /// a regular expression matches strings, anything else is equality.
    /// </summary>
    public static Func<BsonValue, bool> CompileElementCondition(BsonValue condition, QueryContext context)
    {
        if (condition is BsonDocument d)
        {
            if (FilterParser.IsOperatorDocument(d))
            {
                var test = FilterParser.BuildElementTest(FilterParser.ParseOperators(d, context));
                return value =>
                {
                    var ignored = -1;
                    return test.Test(value, ref ignored);
                };
            }
            var filter = Compile(d, context);
            return value => value is BsonDocument doc && filter.Matches(doc);
        }
        IValueTest valueTest = condition is BsonRegularExpression r
            ? new RegexTest(r)
            : new EqualsTest(condition, context.Collation);
        return value =>
        {
            var ignored = -1;
            return valueTest.Test(value, ref ignored);
        };
    }
}
