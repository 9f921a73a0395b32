using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>
/// The parsed shape of $project, $addFields/$set and $unset: per field an inclusion, an exclusion, a computed
/// expression or a nested node. Expressions always see the whole document as $$CURRENT.
/// </summary>
internal sealed class ProjectionTree
{
    public enum Kind { Include, Exclude, Computed, Node }

    private sealed class Entry(string name, Kind kind)
    {
        public string Name { get; } = name;
        public Kind Kind { get; set; } = kind;
        public Expr? Expr { get; set; }
        public ProjectionTree? Child { get; set; }
    }

    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, Entry> _byName = new(StringComparer.Ordinal);

    private bool HasComputed => _entries.Any(e => e.Kind == Kind.Computed || (e.Kind == Kind.Node && e.Child!.HasComputed));

    private Entry? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Adds a leaf at a dotted path, creating nested nodes; reports MongoDB's path collisions.</summary>
    public void Add(string dottedPath, Kind kind, Expr? expr, string stageName)
    {
        var parts = DocumentPaths.Split(dottedPath);
        var node = this;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var existing = node.Find(parts[i]);
            if (existing is null)
            {
                existing = new Entry(parts[i], Kind.Node) { Child = new ProjectionTree() };
                node._entries.Add(existing);
                node._byName[parts[i]] = existing;
            }
            else if (existing.Kind != Kind.Node)
            {
                throw MongoError.Location(31250, $"Invalid {stageName} :: caused by :: Path collision at {dottedPath}");
            }
            node = existing.Child!;
        }
        var leaf = parts[^1];
        if (node.Find(leaf) is not null)
        {
            throw MongoError.Location(31250, $"Invalid {stageName} :: caused by :: Path collision at {dottedPath}");
        }
        var entry = new Entry(leaf, kind) { Expr = expr };
        node._entries.Add(entry);
        node._byName[leaf] = entry;
    }

    /// <summary>Returns the node at a dotted path for a nested sub-object spec, creating it.</summary>
    public ProjectionTree NodeAt(string dottedPath, string stageName)
    {
        var parts = DocumentPaths.Split(dottedPath);
        var node = this;
        foreach (var part in parts)
        {
            var existing = node.Find(part);
            if (existing is null)
            {
                existing = new Entry(part, Kind.Node) { Child = new ProjectionTree() };
                node._entries.Add(existing);
                node._byName[part] = existing;
            }
            else if (existing.Kind != Kind.Node)
            {
                throw MongoError.Location(31250, $"Invalid {stageName} :: caused by :: Path collision at {dottedPath}");
            }
            node = existing.Child!;
        }
        return node;
    }

    public bool Contains(string field) => _byName.ContainsKey(field);

    public BsonDocument ApplyInclusion(BsonDocument document, Scope scope)
    {
        var result = new BsonDocument();
        foreach (var element in document)
        {
            var entry = Find(element.Name);
            if (entry is null) continue;
            if (entry.Kind == Kind.Include)
            {
                result.Add(element.Name, element.Value);
            }
            else if (entry.Kind == Kind.Node)
            {
                var child = entry.Child!;
                switch (element.Value)
                {
                    case BsonDocument d:
                        result.Add(element.Name, child.ApplyInclusion(d, scope));
                        break;
                    case BsonArray a:
                        result.Add(element.Name, child.ApplyInclusionToArray(a, scope));
                        break;
                }
            }
        }
        foreach (var entry in _entries)
        {
            if (entry.Kind == Kind.Computed)
            {
                if (entry.Expr!(scope) is { } v) result[entry.Name] = v;
            }
            else if (entry.Kind == Kind.Node && !result.Contains(entry.Name) && entry.Child!.HasComputed)
            {
                result[entry.Name] = entry.Child.ApplyInclusion([], scope);
            }
        }
        return result;
    }

    private BsonArray ApplyInclusionToArray(BsonArray array, Scope scope)
    {
        var result = new BsonArray();
        foreach (var item in array)
        {
            switch (item)
            {
                case BsonDocument d:
                    result.Add(ApplyInclusion(d, scope));
                    break;
                case BsonArray inner:
                    result.Add(ApplyInclusionToArray(inner, scope));
                    break;
                default:
                    if (HasComputed) result.Add(ApplyInclusion([], scope));
                    break;
            }
        }
        return result;
    }

    public BsonDocument ApplyExclusion(BsonDocument document)
    {
        var result = new BsonDocument();
        foreach (var element in document)
        {
            var entry = Find(element.Name);
            if (entry is null)
            {
                result.Add(element);
            }
            else if (entry.Kind == Kind.Node)
            {
                result.Add(element.Name, element.Value switch
                {
                    BsonDocument d => entry.Child!.ApplyExclusion(d),
                    BsonArray a => entry.Child!.ApplyExclusionToArray(a),
                    var other => other,
                });
            }
        }
        return result;
    }

    private BsonArray ApplyExclusionToArray(BsonArray array) =>
        new(array.Select(item => item switch
        {
            BsonDocument d => ApplyExclusion(d),
            BsonArray inner => ApplyExclusionToArray(inner),
            _ => item,
        }));

    /// <summary>$addFields/$set: keeps every field and sets the computed ones ($$REMOVE removes).</summary>
    public BsonDocument ApplyAddFields(BsonDocument document, Scope scope)
    {
        var result = new BsonDocument(document.AsEnumerable());
        foreach (var entry in _entries)
        {
            if (entry.Kind == Kind.Computed)
            {
                if (entry.Expr!(scope) is { } v) result[entry.Name] = v;
                else result.Remove(entry.Name);
            }
            else if (entry.Kind == Kind.Node)
            {
                result[entry.Name] = result.TryGetValue(entry.Name, out var existing)
                    ? existing switch
                    {
                        BsonDocument d => entry.Child!.ApplyAddFields(d, scope),
                        BsonArray a => entry.Child!.ApplyAddFieldsToArray(a, scope),
                        _ => entry.Child!.ApplyAddFields([], scope),
                    }
                    : entry.Child!.ApplyAddFields([], scope);
            }
        }
        return result;
    }

    private BsonArray ApplyAddFieldsToArray(BsonArray array, Scope scope) =>
        new(array.Select(BsonValue (item) => item switch
        {
            BsonDocument d => ApplyAddFields(d, scope),
            BsonArray inner => ApplyAddFieldsToArray(inner, scope),
            _ => ApplyAddFields([], scope),
        }));
}
