namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>Occupies the source path of a $rename so that other operators on it are reported as conflicts.</summary>
internal sealed class ConflictPlaceholderNode : UpdateNode
{
    public override void Apply(UpdateLocation at, UpdateApplyState state)
    {
    }
}
