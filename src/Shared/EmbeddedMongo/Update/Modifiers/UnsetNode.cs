using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>$unset: removes a field; an array element becomes null instead, so later indexes keep their place.</summary>
internal sealed class UnsetNode : ModifierNode
{
    protected override bool CreatesMissingPath => false;

    protected override bool IgnoresNonViablePath => true;

    protected override void UpdateExisting(UpdateLocation at, UpdateApplyState state)
    {
        switch (at.Parent)
        {
            case BsonDocument d:
                d.Remove(at.Key);
                break;
            case BsonArray:
                ReplaceIfDifferent(at, BsonNull.Value);
                break;
        }
    }
}
