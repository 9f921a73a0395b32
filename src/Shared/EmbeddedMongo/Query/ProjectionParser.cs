using MongoDB.Bson;
using Monolith.EmbeddedMongo.Aggregation;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>Validates a projection document and builds its tree, tracking inclusion vs exclusion like MongoDB.</summary>
internal sealed class ProjectionParser(BsonDocument? filter, QueryContext context)
{
    public ProjectionMode Mode { get; private set; }

    /// <summary>The top-level _id setting when given as a flag; null when unspecified (included by default).</summary>
    public bool? IdIncluded { get; private set; }

    /// <summary>The path of a positional projection (<c>a.b.$</c> gives a, b), if there is one.</summary>
    public string[]? PositionalPath { get; private set; }

    private bool HasPositional => PositionalPath is not null;

    private bool _hasElemMatch;

    public ProjectionNode Parse(BsonDocument spec)
    {
        var root = new ProjectionNode(ProjectionKind.Nested);
        ParseInto(root, spec, prefix: "");
        return root;
    }

    private void ParseInto(ProjectionNode root, BsonDocument spec, string prefix)
    {
        foreach (var e in spec)
        {
            var path = prefix + e.Name;
            if (e.Name.Length == 0) throw MongoError.BadValue("FieldPath cannot be constructed with empty string");
            if (e.Name.StartsWith('$'))
                throw MongoError.Location(31393, $"FieldPath field names may not start with '$'. Consider using $getField or $setField.");
            var value = e.Value;

            if (e.Name.EndsWith(".$", StringComparison.Ordinal))
            {
                AddPositional(root, path, e.Name[..^2]);
                continue;
            }
            if (e.Name.Contains(".$", StringComparison.Ordinal) || e.Name == "$")
                throw MongoError.BadValue($"Positional projection '{path}' contains the positional operator in the wrong place");

            if (value is BsonBoolean or BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128)
            {
                var include = FilterParser.IsTrue(value);
                if (prefix.Length == 0 && e.Name == "_id")
                {
                    IdIncluded = include;
                    continue;
                }
                SetMode(include ? ProjectionMode.Inclusion : ProjectionMode.Exclusion, path);
                Add(root, e.Name, path, new ProjectionNode(include ? ProjectionKind.Include : ProjectionKind.Exclude));
                continue;
            }

            if (value is BsonDocument d && d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$'))
            {
                var op = d.GetElement(0).Name;
                switch (op)
                {
                    case "$slice":
                        Add(root, e.Name, path, ParseSlice(d[0]));
                        continue;
                    case "$elemMatch":
                        AddElemMatch(root, e.Name, path, d[0], nested: prefix.Length > 0);
                        continue;
                    case "$meta":
                        // Text scores and index metadata do not exist here; the field is left out.
                        continue;
                }
            }
            else if (value is BsonDocument nested)
            {
                if (nested.ElementCount == 0)
                    throw MongoError.Location(51270, $"An empty sub-projection is not a valid value. Found empty object at path");
                var node = GetOrAddNested(root, e.Name, path);
                ParseInto(node, nested, path + ".");
                if (node.HasComputed) MarkComputed(root, e.Name);
                continue;
            }

            // Anything else is an expression (4.4+): "$field", {$literal: ...}, {$add: [...]}, or a plain literal.
            SetMode(ProjectionMode.Inclusion, path);
            Add(root, e.Name, path, new ProjectionNode(ProjectionKind.Computed) { Expression = Expressions.Compile(value, context) });
            MarkComputed(root, e.Name);
        }
    }

    private static void MarkComputed(ProjectionNode root, string dottedName)
    {
        root.HasComputed = true;
        var parts = dottedName.Split('.');
        var node = root;
        for (var i = 0; i < parts.Length - 1 && node.Children.TryGetValue(parts[i], out var child); i++)
        {
            child.HasComputed = true;
            node = child;
        }
    }

    private void SetMode(ProjectionMode mode, string path)
    {
        if (Mode == ProjectionMode.Undecided)
        {
            Mode = mode;
            return;
        }
        if (Mode == mode) return;
        if (Mode == ProjectionMode.Inclusion)
            throw MongoError.Location(31254, $"Cannot do exclusion on field {path} in inclusion projection");
        throw MongoError.Location(31253, $"Cannot do inclusion on field {path} in exclusion projection");
    }

    private static ProjectionNode ParseSlice(BsonValue arg)
    {
        if (BsonOrder.IsNumber(arg)) return new ProjectionNode(ProjectionKind.Slice) { SliceSkip = ClampToInt(arg) };
        if (arg is BsonArray { Count: 2 } a && BsonOrder.IsNumber(a[0]) && BsonOrder.IsNumber(a[1]))
        {
            var limit = ClampToInt(a[1]);
            if (limit <= 0) throw MongoError.Location(28724, "Second argument to $slice must be a positive number");
            return new ProjectionNode(ProjectionKind.Slice) { SliceSkip = ClampToInt(a[0]), SliceLimit = limit };
        }
        throw MongoError.Location(28667, "$slice only supports numbers and [skip, limit] arrays");
    }

    private static int ClampToInt(BsonValue v) => (int)Math.Clamp(Math.Truncate(v.ToDouble()), int.MinValue + 1, int.MaxValue);

    private void AddElemMatch(ProjectionNode root, string name, string path, BsonValue arg, bool nested)
    {
        if (nested || name.Contains('.'))
            throw MongoError.Location(31275, "Cannot use $elemMatch projection on a nested field.");
        if (arg is not BsonDocument condition) throw MongoError.BadValue("elemMatch: Invalid argument, object required.");
        if (HasPositional) throw MongoError.Location(31256, "Cannot specify positional operator and $elemMatch.");
        _hasElemMatch = true;
        root.HasElemMatch = true;
        SetMode(ProjectionMode.Inclusion, path);
        var filterDoc = new BsonDocument(name, new BsonDocument("$elemMatch", condition));
        Add(root, name, path, new ProjectionNode(ProjectionKind.ElemMatch)
        {
            ElemMatchFilter = Filter.Compile(filterDoc, context),
            FieldName = name,
        });
    }

    private void AddPositional(ProjectionNode root, string fullName, string name)
    {
        if (HasPositional) throw MongoError.Location(31276, "Cannot specify more than one positional projection per query.");
        if (_hasElemMatch) throw MongoError.Location(31256, "Cannot specify positional operator and $elemMatch.");
        if (filter is null) throw MongoError.Location(51050, "Projections with a positional operator require a matcher");
        if (name.Contains('$')) throw MongoError.BadValue($"Positional projection '{fullName}' contains the positional operator in the wrong place");
        SetMode(ProjectionMode.Inclusion, fullName);
        Add(root, name, fullName, new ProjectionNode(ProjectionKind.Include));
        PositionalPath = fullName[..^2].Split('.');
    }

    /// <summary>Adds a leaf at a dotted name below <paramref name="root"/>; MongoDB rejects paths that overlap.</summary>
    private static void Add(ProjectionNode root, string dottedName, string fullPath, ProjectionNode leaf)
    {
        var parts = dottedName.Split('.');
        var node = root;
        for (var i = 0; i < parts.Length - 1; i++) node = Descend(node, parts[i], fullPath, parts, i);
        var last = parts[^1];
        if (node.Children.ContainsKey(last))
            throw MongoError.Location(31250, $"Path collision at {fullPath}");
        node.Children.Add(last, leaf);
    }

    private static ProjectionNode GetOrAddNested(ProjectionNode root, string dottedName, string fullPath)
    {
        var parts = dottedName.Split('.');
        var node = root;
        for (var i = 0; i < parts.Length; i++) node = Descend(node, parts[i], fullPath, parts, i);
        return node;
    }

    private static ProjectionNode Descend(ProjectionNode node, string part, string fullPath, string[] parts, int i)
    {
        if (node.Children.TryGetValue(part, out var existing))
        {
            if (existing.Kind != ProjectionKind.Nested)
                throw MongoError.Location(31250, $"Path collision at {fullPath} remaining portion {string.Join('.', parts[(i + 1)..])}");
            return existing;
        }
        var created = new ProjectionNode(ProjectionKind.Nested);
        node.Children.Add(part, created);
        return created;
    }
}
