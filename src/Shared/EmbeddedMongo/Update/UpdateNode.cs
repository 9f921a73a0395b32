namespace Monolith.EmbeddedMongo.Update;

/// <summary>A node of the compiled update tree: an internal node per path level, a modifier at each leaf.</summary>
internal abstract class UpdateNode
{
    public abstract void Apply(UpdateLocation at, UpdateApplyState state);

    /// <summary>
    /// Combines two nodes that turn out to address the same element at run time (positional <c>$</c> next to an
    /// explicit index, or two array filters matching one element); two leaves there are a conflict.
    /// </summary>
    public static UpdateNode Merge(UpdateNode left, UpdateNode right, string path) => (left, right) switch
    {
        (ObjectUpdateNode l, ObjectUpdateNode r) => ObjectUpdateNode.Merge(l, r, path),
        (ArrayUpdateNode l, ArrayUpdateNode r) => ArrayUpdateNode.Merge(l, r, path),
        _ => throw MongoError.ConflictingUpdateOperators($"Update created a conflict at '{path}'"),
    };
}
