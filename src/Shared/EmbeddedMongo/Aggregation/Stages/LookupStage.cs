using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>
/// $lookup: equality (localField/foreignField, arrays on either side match by element), sub-pipeline with let, or
/// both. The foreign collection is read once per execution.
/// </summary>
internal sealed class LookupStage : Stage
{
    private readonly PipelineContext _context;
    private readonly string _database;
    private readonly string _from;
    private readonly string[] _as;
    private readonly string[]? _localField;
    private readonly string[]? _foreignField;
    private readonly (string Name, Expr Value)[] _let;
    private readonly BsonArray? _pipeline;
    private readonly Pipeline? _uncorrelated;
    private readonly (string[] Path, string Variable)? _equalityJoin;

    private LookupStage(PipelineContext context, string database, string from, string[] @as, string[]? localField,
        string[]? foreignField, (string, Expr)[] let, BsonArray? pipeline, Pipeline? uncorrelated)
    {
        _context = context;
        _database = database;
        _from = from;
        _as = @as;
        _localField = localField;
        _foreignField = foreignField;
        _let = let;
        _pipeline = pipeline;
        _uncorrelated = uncorrelated;
        _equalityJoin = pipeline is null || localField is not null ? null : DetectEqualityJoin(pipeline, let.Select(l => l.Item1).ToHashSet());
    }

    public static LookupStage Parse(BsonValue spec, PipelineContext context, ParseScope scope)
    {
        if (spec is not BsonDocument d) throw MongoError.Location(40319, "the $lookup stage specification must be an object");
        string? from = null, database = null, @as = null, local = null, foreign = null;
        BsonDocument? let = null;
        BsonArray? pipeline = null;
        foreach (var e in d)
        {
            switch (e.Name)
            {
                case "from":
                    (database, from) = ParseNamespace(e.Value, context.Database, "$lookup");
                    break;
                case "as":
                    @as = e.Value is BsonString a ? a.Value : throw MongoError.FailedToParse($"$lookup argument 'as' must be a string, found: {Values.TypeName(e.Value)}");
                    break;
                case "localField":
                    local = e.Value is BsonString l ? l.Value : throw MongoError.FailedToParse($"$lookup argument 'localField' must be a string, found: {Values.TypeName(e.Value)}");
                    break;
                case "foreignField":
                    foreign = e.Value is BsonString f ? f.Value : throw MongoError.FailedToParse($"$lookup argument 'foreignField' must be a string, found: {Values.TypeName(e.Value)}");
                    break;
                case "let":
                    let = e.Value as BsonDocument ?? throw MongoError.FailedToParse($"$lookup argument 'let' must be an object, is type {Values.TypeName(e.Value)}");
                    break;
                case "pipeline":
                    pipeline = e.Value as BsonArray ?? throw MongoError.FailedToParse($"$lookup argument 'pipeline' must be an array, is type {Values.TypeName(e.Value)}");
                    break;
                default:
                    throw MongoError.FailedToParse($"unknown argument to $lookup: {e.Name}");
            }
        }
        if (@as is null) throw MongoError.FailedToParse("must specify 'as' field for a $lookup");
        if ((local is null) != (foreign is null))
            throw MongoError.FailedToParse("$lookup requires both or neither of 'localField' and 'foreignField' to be specified");
        if (local is null && pipeline is null)
            throw MongoError.FailedToParse("$lookup requires either 'pipeline' or both 'localField' and 'foreignField' to be specified");
        if (from is null && !(pipeline is { Count: > 0 } && pipeline[0] is BsonDocument first && first.Contains("$documents")))
            throw MongoError.FailedToParse("must specify 'from' field for a $lookup");
        if (let is not null && pipeline is null)
            throw MongoError.FailedToParse("$lookup with 'let' requires a 'pipeline'");

        var bindings = (let ?? []).Select(v => (Name: v.Name, Value: ExpressionCompiler.Compile(v.Value, scope))).ToArray();
        foreach (var (name, _) in bindings) ValidateUserVariable(name);
        Pipeline? uncorrelated = null;
        if (pipeline is not null)
        {
            // Compiling once up front reports pipeline errors even when the input is empty, as MongoDB does.
            var probe = Pipeline.Compile(pipeline, SubContext(context, bindings.Select(b => (b.Name, (BsonValue)BsonNull.Value))), PipelinePlace.Lookup);
            if (bindings.Length == 0) uncorrelated = probe;
        }
        return new LookupStage(context, database ?? context.Database, from ?? "", DocumentPaths.Split(@as),
            local is null ? null : DocumentPaths.Split(local), foreign is null ? null : DocumentPaths.Split(foreign),
            bindings, pipeline, uncorrelated);
    }

    /// <summary>
    /// Recognises a sub-pipeline starting with <c>{$match: {$expr: {$eq: ["$field", "$$var"]}}}</c> (alone or inside
    /// <c>$and</c>), the usual correlated join, so the foreign side can be hashed once instead of scanned per document.
    /// The $match still runs on the candidates, so the result is exactly the same.
    /// </summary>
    private static (string[] Path, string Variable)? DetectEqualityJoin(BsonArray pipeline, HashSet<string> variables)
    {
        if (pipeline.Count == 0 || pipeline[0] is not BsonDocument { ElementCount: 1 } stage || stage.GetElement(0).Name != "$match"
            || stage[0] is not BsonDocument { ElementCount: 1 } match || match.GetElement(0).Name != "$expr")
            return null;
        var expr = match[0];
        IEnumerable<BsonValue> conjuncts = expr is BsonDocument { ElementCount: 1 } and && and.GetElement(0).Name == "$and" && and[0] is BsonArray all
            ? all
            : [expr];
        foreach (var conjunct in conjuncts)
        {
            if (conjunct is not BsonDocument { ElementCount: 1 } eq || eq.GetElement(0).Name != "$eq" || eq[0] is not BsonArray { Count: 2 } pair) continue;
            if ((Pair(pair[0], pair[1]) ?? Pair(pair[1], pair[0])) is { } found) return found;
        }
        return null;

        (string[], string)? Pair(BsonValue field, BsonValue variable) =>
            field is BsonString { Value: ['$', not '$', ..] } f && variable is BsonString { Value: ['$', '$', ..] } v
            && !v.Value.Contains('.') && variables.Contains(v.Value[2..])
                ? (DocumentPaths.Split(f.Value[1..]), v.Value[2..])
                : null;
    }

    private static void ValidateUserVariable(string name)
    {
        if (name.Length == 0 || !(char.IsLower(name[0]) || name[0] > 127) || name.Any(c => !(char.IsLetterOrDigit(c) || c == '_' || c > 127)))
            throw MongoError.Location(16867, $"'{name}' starts with an invalid character for a user variable name");
    }

    public static (string Database, string Collection) ParseNamespace(BsonValue value, string defaultDatabase, string stage)
    {
        switch (value)
        {
            case BsonString s:
                return (defaultDatabase, s.Value);
            case BsonDocument d when d.TryGetValue("coll", out var coll) && coll is BsonString c:
                return (d.TryGetValue("db", out var db) && db is BsonString dbs ? dbs.Value : defaultDatabase, c.Value);
            default:
                throw MongoError.FailedToParse($"{stage} 'from' field must be a string or an object with 'db' and 'coll', but found {Values.TypeName(value)}");
        }
    }

    public static PipelineContext SubContext(PipelineContext parent, IEnumerable<(string Name, BsonValue Value)> variables)
    {
        var merged = new BsonDocument(parent.Query.Variables.AsEnumerable());
        foreach (var (name, value) in variables) merged[name] = value;
        return new PipelineContext
        {
            Database = parent.Database,
            Host = parent.Host,
            Query = new QueryContext { Collation = parent.Query.Collation, Now = parent.Query.Now, Variables = merged },
        };
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        List<BsonDocument>? foreign = null;
        Dictionary<BsonValue, List<int>>? index = null;
        List<BsonDocument> Foreign() => foreign ??= [.. _context.Host.ReadCollection(_database, _from)];
        List<BsonDocument>? uncorrelatedResult = null;
        Dictionary<BsonValue, List<int>>? joinIndex = null;

        foreach (var document in input)
        {
            IEnumerable<BsonDocument> candidates;
            if (_localField is not null)
            {
                index ??= BuildIndex(Foreign());
                candidates = Matches(document, index, Foreign());
            }
            else
            {
                candidates = _from.Length == 0 ? [] : Foreign();
            }

            BsonArray joined;
            if (_pipeline is null)
            {
                joined = new BsonArray(candidates);
            }
            else if (_uncorrelated is not null)
            {
                if (_localField is not null) joined = new BsonArray(_uncorrelated.Execute(candidates));
                else joined = new BsonArray(uncorrelatedResult ??= [.. _uncorrelated.Execute(candidates)]);
            }
            else
            {
                var scope = new Scope(document, _context.Query);
                var variables = _let.Select(b => (b.Name, b.Value(scope) ?? BsonNull.Value)).ToList();
                if (_equalityJoin is { } join && _from.Length > 0)
                {
                    joinIndex ??= BuildJoinIndex(Foreign(), join.Path);
                    var key = variables.First(v => v.Name == join.Variable).Item2;
                    candidates = joinIndex.TryGetValue(key, out var hits) ? hits.Select(i => foreign![i]) : [];
                }
                var pipeline = Pipeline.Compile(_pipeline, SubContext(_context, variables), PipelinePlace.Lookup);
                joined = new BsonArray(pipeline.Execute(candidates));
            }
            yield return DocumentPaths.With(document, _as, joined);
        }
    }

    private Dictionary<BsonValue, List<int>> BuildJoinIndex(List<BsonDocument> foreign, string[] path)
    {
        var index = new Dictionary<BsonValue, List<int>>(new BsonValueKeyComparer(_context.Query.Collation));
        for (var i = 0; i < foreign.Count; i++)
        {
            // A missing field never equals a variable's value ($$var is null at worst), so it has no entry.
            if (FieldPaths.Traverse(foreign[i], path) is not { } value) continue;
            if (!index.TryGetValue(value, out var list)) index[value] = list = [];
            list.Add(i);
        }
        return index;
    }

    private Dictionary<BsonValue, List<int>> BuildIndex(List<BsonDocument> foreign)
    {
        var index = new Dictionary<BsonValue, List<int>>(new BsonValueKeyComparer(_context.Query.Collation));
        var values = new List<BsonValue>();
        for (var i = 0; i < foreign.Count; i++)
        {
            values.Clear();
            DocumentPaths.CollectQueryValues(foreign[i], _foreignField!, 0, values, asQuery: true);
            foreach (var v in values)
            {
                var key = v is BsonUndefined ? BsonNull.Value : v;
                if (!index.TryGetValue(key, out var list)) index[key] = list = [];
                if (list.Count == 0 || list[^1] != i) list.Add(i);
            }
        }
        return index;
    }

    private IEnumerable<BsonDocument> Matches(BsonDocument document, Dictionary<BsonValue, List<int>> index, List<BsonDocument> foreign)
    {
        var locals = new List<BsonValue>();
        DocumentPaths.CollectQueryValues(document, _localField!, 0, locals, asQuery: false);
        if (locals.Count == 0) locals.Add(BsonNull.Value);
        var hits = new SortedSet<int>();
        foreach (var value in locals)
        {
            var key = value is BsonUndefined ? BsonNull.Value : value;
            if (index.TryGetValue(key, out var list)) hits.UnionWith(list);
        }
        return hits.Select(i => foreign[i]);
    }
}
