using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>
/// A find projection compiled into a tree of field rules: inclusion or exclusion (never both, except _id), nested
/// paths, $slice, $elemMatch, the positional <c>a.$</c>, and computed fields (<c>{x: "$a"}</c>, <c>{x: {$literal: 1}}</c>).
/// </summary>
internal sealed class Projection
{
    private readonly ProjectionNode _root;
    private readonly bool _inclusion;
    private readonly bool _includeId;

    private readonly string[]? _positionalPath;

    private Projection(ProjectionNode root, bool inclusion, bool includeId, string[]? positionalPath)
    {
        _root = root;
        _positionalPath = positionalPath;
        _inclusion = inclusion;
        _includeId = includeId;
    }

    /// <summary>True when the projection keeps the listed fields (and _id) rather than dropping them.</summary>
    public bool IsInclusion => _inclusion;

    /// <summary>True when the result needs the positional index from <see cref="Filter.Matches(BsonDocument, out int?)"/>.</summary>
    public bool UsesPositional => _positionalPath is not null;

    /// <summary>Null when there is nothing to project (no spec or <c>{}</c>). Throws <see cref="MongoError"/> when invalid.</summary>
    public static Projection? Compile(BsonDocument? spec, BsonDocument? filter, QueryContext context)
    {
        if (spec is null || spec.ElementCount == 0) return null;
        var parser = new ProjectionParser(filter, context);
        var root = parser.Parse(spec);
        var inclusion = parser.Mode == ProjectionMode.Inclusion || (parser.Mode == ProjectionMode.Undecided && parser.IdIncluded == true);
        return new Projection(root, inclusion, parser.IdIncluded ?? true, parser.PositionalPath);
    }

    public BsonDocument Apply(BsonDocument document, int? positionalIndex)
    {
        if (!_inclusion) return Exclude(document, _root, document, positionalIndex, topLevel: true);
        var result = Include(document, _root, document, positionalIndex, topLevel: true);
        if (_positionalPath is not null) ApplyPositional(result, _positionalPath, positionalIndex);
        return result;
    }

    /// <summary>
    /// Replaces the first array on the positional path (in the projected document) by the element the filter matched,
    /// as MongoDB does; a path without an array is left as included.
    /// </summary>
    private static void ApplyPositional(BsonDocument output, string[] parts, int? positional)
    {
        var current = output;
        foreach (var part in parts)
        {
            if (!current.TryGetValue(part, out var value)) return;
            switch (value)
            {
                case BsonArray array:
                    if (positional is not { } index)
                        throw new MongoError(51246, "Location51246",
                            "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array");
                    if (index >= array.Count)
                        throw new MongoError(51247, "Location51247",
                            "Executor error during find command :: caused by :: positional operator '.$' element mismatch");
                    current[part] = new BsonArray(1) { array[index] };
                    return;
                case BsonDocument sub:
                    current = sub;
                    break;
                default:
                    return;
            }
        }
    }

    private BsonDocument Include(BsonDocument source, ProjectionNode node, BsonDocument root, int? positional, bool topLevel)
    {
        var result = new BsonDocument();
        foreach (var field in source)
        {
            if (!node.Children.TryGetValue(field.Name, out var child))
            {
                if (topLevel && _includeId && field.Name == "_id") result.Add(field);
                continue;
            }
            if (topLevel && field.Name == "_id" && !_includeId) continue;
            var projected = IncludeValue(field.Value, child, root, positional);
            if (projected is not null) result.Add(field.Name, projected);
        }
        if (topLevel && node.HasElemMatch)
        {
            // Since 4.4 an $elemMatch field comes after the other included fields.
            foreach (var (name, child) in node.Children)
            {
                if (child.Kind == ProjectionKind.ElemMatch && child.ElemMatch(root) is { } matched) result[name] = matched;
            }
        }
        AddComputed(result, node, root, positional);
        return result;
    }

    private BsonValue? IncludeValue(BsonValue value, ProjectionNode child, BsonDocument root, int? positional)
    {
        switch (child.Kind)
        {
            case ProjectionKind.Include:
                return value;
            case ProjectionKind.Nested:
                return value switch
                {
                    BsonDocument d => Include(d, child, root, positional, topLevel: false),
                    BsonArray a => IncludeArray(a, child, root, positional),
                    _ => child.HasComputed ? Include([], child, root, positional, topLevel: false) : null,
                };
            case ProjectionKind.Slice:
                return child.Slice(value);
            default:
                return null;
        }
    }

    private BsonArray IncludeArray(BsonArray array, ProjectionNode node, BsonDocument root, int? positional)
    {
        var result = new BsonArray(array.Count);
        foreach (var element in array)
        {
            if (element is BsonDocument d) result.Add(Include(d, node, root, positional, topLevel: false));
            else if (element is BsonArray nested) result.Add(IncludeArray(nested, node, root, positional));
        }
        return result;
    }

    private void AddComputed(BsonDocument result, ProjectionNode node, BsonDocument root, int? positional)
    {
        if (!node.HasComputed) return;
        foreach (var (name, child) in node.Children)
        {
            if (child.Kind == ProjectionKind.Computed)
            {
                // A missing result (absent field, $$REMOVE) leaves the field out, as in MongoDB.
                if (child.Expression!.Evaluate(root) is { } value) result[name] = value;
            }
            else if (child.Kind == ProjectionKind.Nested && child.HasComputed && !result.Contains(name))
            {
                var sub = new BsonDocument();
                AddComputed(sub, child, root, positional);
                result[name] = sub;
            }
        }
    }

    private BsonDocument Exclude(BsonDocument source, ProjectionNode node, BsonDocument root, int? positional, bool topLevel)
    {
        var result = new BsonDocument();
        foreach (var field in source)
        {
            if (!node.Children.TryGetValue(field.Name, out var child))
            {
                if (!(topLevel && field.Name == "_id" && !_includeId)) result.Add(field);
                continue;
            }
            switch (child.Kind)
            {
                case ProjectionKind.Exclude:
                    break;
                case ProjectionKind.Nested:
                    result.Add(field.Name, field.Value switch
                    {
                        BsonDocument d => Exclude(d, child, root, positional, topLevel: false),
                        BsonArray a => ExcludeArray(a, child, root, positional),
                        _ => field.Value,
                    });
                    break;
                case ProjectionKind.Slice:
                    result.Add(field.Name, child.Slice(field.Value));
                    break;
                default:
                    result.Add(field);
                    break;
            }
        }
        return result;
    }

    private BsonArray ExcludeArray(BsonArray array, ProjectionNode node, BsonDocument root, int? positional)
    {
        var result = new BsonArray(array.Count);
        foreach (var element in array)
        {
            result.Add(element switch
            {
                BsonDocument d => Exclude(d, node, root, positional, topLevel: false),
                BsonArray nested => ExcludeArray(nested, node, root, positional),
                _ => element,
            });
        }
        return result;
    }
}
