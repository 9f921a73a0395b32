using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Update;

/// <summary>A path level addressed by <c>$[]</c> (identifier "") or <c>$[id]</c>: applies its children to matching elements.</summary>
internal sealed class ArrayUpdateNode(ArrayFilterSet filters) : UpdateNode
{
    private readonly ArrayFilterSet _filters = filters;

    public Dictionary<string, UpdateNode> Children { get; } = new(StringComparer.Ordinal);

    public override void Apply(UpdateLocation at, UpdateApplyState state)
    {
        if (!at.Exists)
            throw MongoError.BadValue($"The path '{at.FullPath}' must exist in the document in order to apply array updates.");
        if (at.Element is not BsonArray array)
            throw MongoError.BadValue($"Cannot apply array updates to non-array element {at.Key}: {UpdatePaths.Show(at.Element)}");

        // Decide every element's updates before changing any element, as MongoDB does.
        var updates = new UpdateNode?[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            var path = UpdatePaths.Join(at.Path, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (identifier, child) in Children)
            {
                if (identifier.Length != 0 && !_filters.Matches(identifier, array[i])) continue;
                updates[i] = updates[i] is { } previous ? UpdateNode.Merge(previous, child, path) : child;
            }
        }
        for (var i = 0; i < updates.Length; i++)
        {
            if (updates[i] is not { } update) continue;
            var key = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            update.Apply(new UpdateLocation(state.Own(array, i), array, key, UpdatePaths.Join(at.Path, key), []), state);
        }
    }

    public static ArrayUpdateNode Merge(ArrayUpdateNode left, ArrayUpdateNode right, string path)
    {
        var merged = new ArrayUpdateNode(left._filters);
        foreach (var (identifier, child) in left.Children) merged.Children.Add(identifier, child);
        foreach (var (identifier, child) in right.Children)
        {
            merged.Children[identifier] = merged.Children.TryGetValue(identifier, out var existing)
                ? UpdateNode.Merge(existing, child, UpdatePaths.Join(path, $"$[{identifier}]"))
                : child;
        }
        return merged;
    }
}
