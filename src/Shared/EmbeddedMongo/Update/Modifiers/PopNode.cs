using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>$pop: 1 removes the last element, -1 the first.</summary>
internal sealed class PopNode : ModifierNode
{
    private readonly bool _fromFront;

    public PopNode(BsonValue spec)
    {
        if (!UpdatePaths.TryInteger(spec, out var n))
            throw MongoError.FailedToParse($"Expected a number in: $pop: {UpdatePaths.Show(spec)}");
        if (n is not (1 or -1)) throw MongoError.FailedToParse($"$pop expects 1 or -1, found: {n}");
        _fromFront = n < 0;
    }

    protected override bool CreatesMissingPath => false;

    protected override void UpdateExisting(UpdateLocation at, UpdateApplyState state)
    {
        if (at.Element is not BsonArray array)
            throw MongoError.TypeMismatch(
                $"Path '{at.Path}' contains an element of non-array type '{UpdatePaths.TypeName(at.Element)}'");
        if (array.Count == 0) return;
        array.RemoveAt(_fromFront ? 0 : array.Count - 1);
    }
}
