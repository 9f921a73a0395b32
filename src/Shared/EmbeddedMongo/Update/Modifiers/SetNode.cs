using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>$set, and $setOnInsert (which only acts when the update inserts an upserted document).</summary>
internal sealed class SetNode(BsonValue value, bool onInsertOnly) : ModifierNode
{
    public override void Apply(UpdateLocation at, UpdateApplyState state)
    {
        if (onInsertOnly && !state.IsUpsertInsert) return;
        base.Apply(at, state);
    }

    protected override void UpdateExisting(UpdateLocation at, UpdateApplyState state)
    {
        if (!BsonExact.Equal(at.Element, value)) at.Replace(UpdatePaths.Fresh(value));
    }

    protected override BsonValue ValueForMissing(UpdateLocation at, UpdateApplyState state) => UpdatePaths.Fresh(value);
}
