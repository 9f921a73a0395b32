using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>$addToSet of one value or of <c>$each</c> values, skipping those already present (BSON equality with collation).</summary>
internal sealed class AddToSetNode : ModifierNode
{
    private readonly List<BsonValue> _values = [];

    public AddToSetNode(BsonValue spec, Collation? collation)
    {
        if (spec is BsonDocument { ElementCount: > 0 } doc && doc.GetElement(0).Name == "$each")
        {
            if (doc[0] is not BsonArray each)
                throw MongoError.TypeMismatch(
                    $"The argument to $each in $addToSet must be an array but it was of type {UpdatePaths.TypeName(doc[0])}");
            if (doc.ElementCount > 1)
                throw MongoError.BadValue($"Found unexpected fields after $each in $addToSet: {UpdatePaths.Show(doc)}");
            foreach (var value in each)
            {
                if (!_values.Any(v => BsonOrder.Compare(v, value, collation) == 0)) _values.Add(value);
            }
        }
        else
        {
            _values.Add(spec);
        }
    }

    protected override void UpdateExisting(UpdateLocation at, UpdateApplyState state)
    {
        if (at.Element is not BsonArray array)
            throw MongoError.BadValue(
                $"Cannot apply $addToSet to non-array field. Field named '{at.Key}' has non-array type " +
                UpdatePaths.TypeName(at.Element));
        var collation = state.Context.Collation;
        var toAdd = _values.Where(v => !array.Any(existing => BsonOrder.Compare(existing, v, collation) == 0)).ToList();
        foreach (var value in toAdd) array.Add(UpdatePaths.Fresh(value));
    }

    protected override BsonValue ValueForMissing(UpdateLocation at, UpdateApplyState state) =>
        new BsonArray(_values.Select(UpdatePaths.Fresh));
}
