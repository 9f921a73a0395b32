using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>$graphLookup: breadth-first search over another collection, from startWith along connectFrom -> connectTo.</summary>
internal sealed class GraphLookupStage : Stage
{
    private readonly PipelineContext _context;
    private readonly string _database;
    private readonly string _from;
    private readonly Expr _startWith;
    private readonly string[] _connectFrom;
    private readonly string[] _connectTo;
    private readonly string[] _as;
    private readonly long? _maxDepth;
    private readonly string[]? _depthField;
    private readonly Filter? _restrict;

    private GraphLookupStage(PipelineContext context, string database, string from, Expr startWith, string[] connectFrom,
        string[] connectTo, string[] @as, long? maxDepth, string[]? depthField, Filter? restrict)
    {
        _context = context;
        _database = database;
        _from = from;
        _startWith = startWith;
        _connectFrom = connectFrom;
        _connectTo = connectTo;
        _as = @as;
        _maxDepth = maxDepth;
        _depthField = depthField;
        _restrict = restrict;
    }

    public static GraphLookupStage Parse(BsonValue spec, PipelineContext context, ParseScope scope)
    {
        if (spec is not BsonDocument d) throw MongoError.Location(40327, "the $graphLookup stage specification must be an object");
        string? database = null, from = null, connectFrom = null, connectTo = null, @as = null, depthField = null;
        Expr? startWith = null;
        long? maxDepth = null;
        Filter? restrict = null;
        string Text(BsonElement e) => e.Value is BsonString s
            ? s.Value
            : throw MongoError.Location(40103, $"expected string as argument for {e.Name}, found: {Values.TypeName(e.Value)}");
        foreach (var e in d)
        {
            switch (e.Name)
            {
                case "from":
                    (database, from) = LookupStage.ParseNamespace(e.Value, context.Database, "$graphLookup");
                    break;
                case "startWith":
                    startWith = ExpressionCompiler.Compile(e.Value, scope);
                    break;
                case "connectFromField":
                    connectFrom = Text(e);
                    break;
                case "connectToField":
                    connectTo = Text(e);
                    break;
                case "as":
                    @as = Text(e);
                    break;
                case "depthField":
                    depthField = Text(e);
                    break;
                case "maxDepth":
                    if (!Values.IsNumber(e.Value) || !Values.TryGetLong(e.Value, out var depth))
                        throw MongoError.Location(40100, $"maxDepth must be numeric, found type: {Values.TypeName(e.Value)}");
                    if (depth < 0) throw MongoError.Location(40101, $"maxDepth requires a nonnegative argument, found: {depth}");
                    maxDepth = depth;
                    break;
                case "restrictSearchWithMatch":
                    restrict = e.Value is BsonDocument m
                        ? Filter.Compile(m, context.Query)
                        : throw MongoError.Location(40185, $"restrictSearchWithMatch must be an object, found {Values.TypeName(e.Value)}");
                    break;
                default:
                    throw MongoError.Location(40104, $"Unknown argument to $graphLookup: {e.Name}");
            }
        }
        if (from is null || startWith is null || connectFrom is null || connectTo is null || @as is null)
            throw MongoError.Location(40105, "from, as, startWith, connectFromField, and connectToField must all be specified");
        return new GraphLookupStage(context, database!, from, startWith, DocumentPaths.Split(connectFrom), DocumentPaths.Split(connectTo),
            DocumentPaths.Split(@as), maxDepth, depthField is null ? null : DocumentPaths.Split(depthField), restrict);
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        List<BsonDocument>? foreign = null;
        Dictionary<BsonValue, List<int>>? index = null;
        var comparer = new BsonValueKeyComparer(_context.Query.Collation);
        foreach (var document in input)
        {
            if (foreign is null)
            {
                foreign = [.. _context.Host.ReadCollection(_database, _from).Where(f => _restrict is null || _restrict.Matches(f))];
                index = new Dictionary<BsonValue, List<int>>(comparer);
                var values = new List<BsonValue>();
                for (var i = 0; i < foreign.Count; i++)
                {
                    values.Clear();
                    DocumentPaths.CollectQueryValues(foreign[i], _connectTo, 0, values, asQuery: true);
                    foreach (var v in values)
                    {
                        if (!index.TryGetValue(v, out var list)) index[v] = list = [];
                        if (list.Count == 0 || list[^1] != i) list.Add(i);
                    }
                }
            }

            var start = _startWith(new Scope(document, _context.Query)) ?? BsonNull.Value;
            var frontier = start is BsonArray a ? a.ToList() : [start];
            var found = new List<(int Index, long Depth)>();
            var visited = new HashSet<int>();
            for (long depth = 0; frontier.Count > 0 && (_maxDepth is null || depth <= _maxDepth); depth++)
            {
                var next = new List<BsonValue>();
                var seen = new HashSet<BsonValue>(comparer);
                foreach (var value in frontier)
                {
                    if (!seen.Add(value) || !index!.TryGetValue(value, out var hits)) continue;
                    foreach (var hit in hits)
                    {
                        if (!visited.Add(hit)) continue;
                        found.Add((hit, depth));
                        DocumentPaths.CollectQueryValues(foreign[hit], _connectFrom, 0, next, asQuery: false);
                    }
                }
                frontier = next;
            }
            var results = new BsonArray(found.Select(f => _depthField is null
                ? foreign[f.Index]
                : DocumentPaths.With(foreign[f.Index], _depthField, new BsonInt64(f.Depth))));
            yield return DocumentPaths.With(document, _as, results);
        }
    }
}
