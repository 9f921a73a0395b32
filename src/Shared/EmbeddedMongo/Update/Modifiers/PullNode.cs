using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>
/// $pull and $pullAll: remove the array elements a matcher accepts. $pull's matcher follows MongoDB: a document whose
/// first field is not a query operator is a query on document elements; an operator document or a regex applies to
/// each element itself; any other value must equal the element.
/// </summary>
internal sealed class PullNode : ModifierNode
{
    private static readonly HashSet<string> PathOperators =
    [
        "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists", "$type", "$regex", "$options",
        "$elemMatch", "$size", "$all", "$mod", "$not", "$bitsAllSet", "$bitsAllClear", "$bitsAnySet", "$bitsAnyClear",
        "$geoIntersects", "$geoWithin", "$within", "$near", "$nearSphere", "$maxDistance", "$minDistance",
    ];

    private const string WrapName = "pulled";

    private readonly Func<BsonValue, Collation?, bool> _matches;

    private PullNode(Func<BsonValue, Collation?, bool> matches) => _matches = matches;

    public static PullNode Pull(BsonValue spec, QueryContext context)
    {
        switch (spec)
        {
            case BsonDocument query when query.ElementCount == 0 || !PathOperators.Contains(query.GetElement(0).Name):
            {
                var filter = Filter.Compile(query, context);
                return new PullNode((element, _) => element is BsonDocument d && filter.Matches(d));
            }
            case BsonDocument or BsonRegularExpression:
            {
                var filter = Filter.Compile(new BsonDocument(WrapName, spec), context);
                return new PullNode((element, _) => filter.Matches(new BsonDocument(WrapName, element)));
            }
            default:
                return new PullNode((element, collation) => BsonOrder.Compare(element, spec, collation) == 0);
        }
    }

    public static PullNode PullAll(BsonValue spec)
    {
        if (spec is not BsonArray values)
            throw MongoError.BadValue($"$pullAll requires an array argument but was given a {UpdatePaths.TypeName(spec)}");
        return new PullNode((element, collation) => values.Any(v => BsonOrder.Compare(element, v, collation) == 0));
    }

    protected override bool CreatesMissingPath => false;

    protected override void UpdateExisting(UpdateLocation at, UpdateApplyState state)
    {
        if (at.Element is not BsonArray array) throw MongoError.BadValue("Cannot apply $pull to a non-array value");
        var collation = state.Context.Collation;
        for (var i = array.Count - 1; i >= 0; i--)
        {
            if (_matches(array[i], collation)) array.RemoveAt(i);
        }
    }
}
