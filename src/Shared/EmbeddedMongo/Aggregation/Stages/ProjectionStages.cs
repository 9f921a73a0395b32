using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>$project: inclusion (with computed fields) or exclusion, nested and dotted.</summary>
internal sealed class ProjectStage : DocumentStage
{
    private readonly ProjectionTree _tree;
    private readonly bool _inclusion;
    private readonly ParseScope _scope;

    private ProjectStage(ProjectionTree tree, bool inclusion, ParseScope scope)
    {
        _tree = tree;
        _inclusion = inclusion;
        _scope = scope;
    }

    public static ProjectStage Parse(BsonValue spec, ParseScope scope)
    {
        if (spec is not BsonDocument doc) throw MongoError.Location(15969, "$project specification must be an object");
        if (doc.ElementCount == 0)
            throw MongoError.Location(51272, "Invalid $project :: caused by :: projection specification must have at least one field");
        var tree = new ProjectionTree();
        bool? inclusion = null;
        var idSpecified = false;
        void SetMode(bool include, string path)
        {
            if (inclusion is null) inclusion = include;
            else if (inclusion != include)
            {
                throw include
                    ? MongoError.Location(31253, $"Invalid $project :: caused by :: Cannot do inclusion on field {path} in exclusion projection")
                    : MongoError.Location(31254, $"Invalid $project :: caused by :: Cannot do exclusion on field {path} in inclusion projection");
            }
        }
        var computed = new List<string>();
        void ParseInto(BsonDocument d, string prefix)
        {
            foreach (var e in d)
            {
                if (e.Name.StartsWith('$'))
                {
                    throw MongoError.Location(16410,
                        $"Invalid $project :: caused by :: FieldPath field names may not start with '$'. Consider using $getField or $setField.");
                }
                if (prefix.Length > 0 && e.Name.Contains('.'))
                    throw MongoError.Location(40183, $"Invalid $project :: caused by :: cannot use dotted field name '{e.Name}' in a sub object: {d.ToJson()}");
                var path = prefix + e.Name;
                switch (e.Value)
                {
                    case BsonBoolean or BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128:
                        var include = Values.IsTrue(e.Value);
                        if (path == "_id") idSpecified = true;
                        else SetMode(include, path);
                        tree.Add(path, include ? ProjectionTree.Kind.Include : ProjectionTree.Kind.Exclude, null, "$project");
                        break;
                    case BsonDocument sub when !ExpressionCompiler.IsOperatorObject(sub):
                        if (sub.ElementCount == 0)
                        {
                            throw MongoError.Location(51270,
                                $"Invalid $project :: caused by :: An empty sub-projection is not a valid value. Found empty object at path {path}");
                        }
                        tree.NodeAt(path, "$project");
                        ParseInto(sub, path + ".");
                        break;
                    default:
                        if (path == "_id") idSpecified = true;
                        computed.Add(path);
                        tree.Add(path, ProjectionTree.Kind.Computed, ExpressionCompiler.Compile(e.Value, scope), "$project");
                        break;
                }
            }
        }
        ParseInto(doc, "");
        if (computed.Count > 0)
        {
            if (inclusion == false)
                throw MongoError.Location(31252, "Invalid $project :: caused by :: Cannot use expression other than $meta in exclusion projection");
            inclusion = true;
        }
        var isInclusion = inclusion ?? Values.IsTrue(doc.GetValue("_id", false));
        if (isInclusion && !idSpecified && !tree.Contains("_id")) tree.Add("_id", ProjectionTree.Kind.Include, null, "$project");
        return new ProjectStage(tree, isInclusion, scope);
    }

    public override BsonDocument Transform(BsonDocument document) =>
        _inclusion ? _tree.ApplyInclusion(document, new Scope(document, _scope.Context)) : _tree.ApplyExclusion(document);
}

/// <summary>$addFields and its alias $set.</summary>
internal sealed class AddFieldsStage(ProjectionTree tree, ParseScope scope) : DocumentStage
{
    public static AddFieldsStage Parse(string name, BsonValue spec, ParseScope scope)
    {
        if (spec is not BsonDocument doc)
            throw MongoError.Location(40272, $"{name} specification stage must be an object, got {Values.TypeName(spec)}");
        var tree = new ProjectionTree();
        void ParseInto(BsonDocument d, string prefix)
        {
            foreach (var e in d)
            {
                if (e.Name.StartsWith('$'))
                {
                    throw MongoError.Location(16410,
                        $"Invalid {name} :: caused by :: FieldPath field names may not start with '$'. Consider using $getField or $setField.");
                }
                if (prefix.Length > 0 && e.Name.Contains('.'))
                    throw MongoError.Location(40183, $"Invalid {name} :: caused by :: cannot use dotted field name '{e.Name}' in a sub object: {d.ToJson()}");
                var path = prefix + e.Name;
                if (e.Value is BsonDocument { ElementCount: > 0 } sub && !ExpressionCompiler.IsOperatorObject(sub))
                {
                    tree.NodeAt(path, name);
                    ParseInto(sub, path + ".");
                }
                else
                {
                    tree.Add(path, ProjectionTree.Kind.Computed, ExpressionCompiler.Compile(e.Value, scope), name);
                }
            }
        }
        ParseInto(doc, "");
        return new AddFieldsStage(tree, scope);
    }

    public override BsonDocument Transform(BsonDocument document) =>
        tree.ApplyAddFields(document, new Scope(document, scope.Context));
}

/// <summary>$unset: an exclusion of one or more (dotted) fields.</summary>
internal sealed class UnsetStage(ProjectionTree tree) : DocumentStage
{
    public static UnsetStage Parse(BsonValue spec)
    {
        var fields = spec switch
        {
            BsonString s => [s.Value],
            BsonArray { Count: 0 } => throw MongoError.Location(31119, "$unset specification must be a string or an array with at least one field"),
            BsonArray a when a.All(v => v is BsonString) => a.Select(v => v.AsString).ToArray(),
            _ => throw MongoError.Location(31002, "$unset specification must be a string or an array containing only string values"),
        };
        var tree = new ProjectionTree();
        foreach (var f in fields) tree.Add(f, ProjectionTree.Kind.Exclude, null, "$unset");
        return new UnsetStage(tree);
    }

    public override BsonDocument Transform(BsonDocument document) => tree.ApplyExclusion(document);
}
