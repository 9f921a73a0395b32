namespace Monolith.EmbeddedMongo.Update;

/// <summary>A path level whose children are named fields (or array indexes) plus an optional positional <c>$</c>.</summary>
internal sealed class ObjectUpdateNode : UpdateNode
{
    public SortedDictionary<string, UpdateNode> Children { get; } = new(FieldNameOrder.Instance);

    public UpdateNode? Positional { get; set; }

    public UpdateNode? GetChild(string field) =>
        UpdatePaths.IsPositional(field) ? Positional : Children.GetValueOrDefault(field);

    public void SetChild(string field, UpdateNode child)
    {
        if (UpdatePaths.IsPositional(field)) Positional = child;
        else Children.Add(field, child);
    }

    public override void Apply(UpdateLocation at, UpdateApplyState state)
    {
        var matched = Positional is null ? null : state.MatchedField
            ?? throw MongoError.BadValue("The positional operator did not find the match needed from the query.");
        var positionalPending = Positional is not null;
        foreach (var (field, child) in Children)
        {
            if (positionalPending && field == matched)
            {
                ApplyChild(Merge(Positional!, child, UpdatePaths.Join(at.FullPath, field)), field, at, state);
                positionalPending = false;
                continue;
            }
            if (positionalPending && FieldNameOrder.Instance.Compare(matched, field) < 0)
            {
                ApplyChild(Positional!, matched!, at, state);
                positionalPending = false;
            }
            ApplyChild(child, field, at, state);
        }
        if (positionalPending) ApplyChild(Positional!, matched!, at, state);
    }

    private static void ApplyChild(UpdateNode child, string field, UpdateLocation at, UpdateApplyState state) =>
        child.Apply(at.Refresh(state).Child(field, state), state);

    public static ObjectUpdateNode Merge(ObjectUpdateNode left, ObjectUpdateNode right, string path)
    {
        var merged = new ObjectUpdateNode();
        foreach (var (field, child) in left.Children) merged.Children.Add(field, child);
        foreach (var (field, child) in right.Children)
        {
            merged.Children[field] = merged.Children.TryGetValue(field, out var existing)
                ? UpdateNode.Merge(existing, child, UpdatePaths.Join(path, field))
                : child;
        }
        merged.Positional = (left.Positional, right.Positional) switch
        {
            (null, var r) => r,
            (var l, null) => l,
            var (l, r) => UpdateNode.Merge(l, r, UpdatePaths.Join(path, "$")),
        };
        return merged;
    }
}
