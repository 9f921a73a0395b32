using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>$min and $max, comparing in BSON order with the update's collation.</summary>
internal sealed class CompareNode(BsonValue value, bool max) : ModifierNode
{
    protected override void UpdateExisting(UpdateLocation at, UpdateApplyState state)
    {
        var c = BsonOrder.Compare(value, at.Element, state.Context.Collation);
        if (max ? c > 0 : c < 0) at.Replace(UpdatePaths.Fresh(value));
    }

    protected override BsonValue ValueForMissing(UpdateLocation at, UpdateApplyState state) => UpdatePaths.Fresh(value);
}
