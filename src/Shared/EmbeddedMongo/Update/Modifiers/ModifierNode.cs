using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>A leaf of the update tree: one operator applied to one path.</summary>
internal abstract class ModifierNode : UpdateNode
{
    /// <summary>Whether the operator creates a missing path ($set, $inc, $push...) or ignores it ($unset, $pull, $pop).</summary>
    protected virtual bool CreatesMissingPath => true;

    /// <summary>$unset also ignores a path it could never create (through a scalar); $pull and $pop refuse it.</summary>
    protected virtual bool IgnoresNonViablePath => false;

    public override void Apply(UpdateLocation at, UpdateApplyState state)
    {
        if (at.Exists)
        {
            UpdateExisting(at, state);
            return;
        }
        if (CreatesMissingPath)
        {
            if (ValueForMissing(at, state) is { } value) UpdatePaths.Create(at, value);
            return;
        }
        if (IgnoresNonViablePath) return;
        var viable = at.Element is BsonDocument || (at.Element is BsonArray && UpdatePaths.TryIndex(at.ToCreate[0], out _));
        if (!viable)
            throw MongoError.PathNotViable(
                $"Cannot use the part ({at.ToCreate[0]}) of ({at.FullPath}) to traverse the element " +
                $"({{{at.Key}: {UpdatePaths.Show(at.Element)}}})");
    }

    /// <summary>Modifies the element at <paramref name="at"/> (which exists), replacing it when needed.</summary>
    protected abstract void UpdateExisting(UpdateLocation at, UpdateApplyState state);

    /// <summary>The value to create at a missing path, or null to leave it missing.</summary>
    protected virtual BsonValue? ValueForMissing(UpdateLocation at, UpdateApplyState state) => null;

    protected static void ReplaceIfDifferent(UpdateLocation at, BsonValue value)
    {
        if (!BsonExact.Equal(at.Element, value)) at.Replace(value);
    }
}
