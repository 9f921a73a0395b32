using MongoDB.Bson;
using Monolith.EmbeddedMongo.Aggregation;

namespace Monolith.EmbeddedMongo.Query;

internal enum ProjectionMode { Undecided, Inclusion, Exclusion }

internal enum ProjectionKind { Nested, Include, Exclude, Slice, ElemMatch, Computed }

/// <summary>One field of a projection tree; <see cref="ProjectionKind.Nested"/> nodes hold children by field name.</summary>
internal sealed class ProjectionNode(ProjectionKind kind)
{
    public ProjectionKind Kind { get; } = kind;

    public OrderedDictionary<string, ProjectionNode> Children { get; } = new(StringComparer.Ordinal);

    public bool HasComputed { get; set; }

    public bool HasElemMatch { get; set; }

    public CompiledExpression? Expression { get; init; }

    public int SliceSkip { get; init; }

    public int? SliceLimit { get; init; }

    public Filter? ElemMatchFilter { get; init; }

    public string? FieldName { get; init; }

    public BsonValue Slice(BsonValue value)
    {
        if (value is not BsonArray array) return value;
        int start, count;
        if (SliceLimit is { } limit)
        {
            start = SliceSkip < 0 ? Math.Max(array.Count + SliceSkip, 0) : Math.Min(SliceSkip, array.Count);
            count = Math.Min(limit, array.Count - start);
        }
        else if (SliceSkip >= 0)
        {
            start = 0;
            count = Math.Min(SliceSkip, array.Count);
        }
        else
        {
            count = (int)Math.Min(-(long)SliceSkip, array.Count);
            start = array.Count - count;
        }
        var result = new BsonArray(count);
        for (var i = 0; i < count; i++) result.Add(array[start + i]);
        return result;
    }

    /// <summary>The first element of the (top-level) array field that matches, as a one-element array; null if none.</summary>
    public BsonValue? ElemMatch(BsonDocument root)
    {
        if (!ElemMatchFilter!.Matches(root, out var index) || index is not { } i) return null;
        return root.TryGetValue(FieldName!, out var v) && v is BsonArray a && i < a.Count ? new BsonArray(1) { a[i] } : null;
    }
}
