using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>$group: groups by the _id expression (by value, collation-aware) and runs the accumulators per group.</summary>
internal sealed class GroupStage : Stage
{
    private readonly Expr _id;
    private readonly (string Field, string Op, Expr Argument)[] _accumulators;
    private readonly QueryContext _context;

    private GroupStage(Expr id, (string, string, Expr)[] accumulators, QueryContext context)
    {
        _id = id;
        _accumulators = accumulators;
        _context = context;
    }

    public static GroupStage Parse(BsonValue spec, ParseScope scope)
    {
        if (spec is not BsonDocument doc) throw MongoError.Location(15947, "a group's fields must be specified in an object");
        if (!doc.TryGetValue("_id", out var idSpec)) throw MongoError.Location(15955, "a group specification must include an _id");
        var id = ExpressionCompiler.Compile(idSpec, scope);
        var others = new BsonDocument(doc.Where(e => e.Name != "_id"));
        return new GroupStage(id, [.. ParseAccumulators(others, scope)], scope.Context);
    }

    /// <summary>Parses <c>{field: {$accumulator: argument}}</c> pairs as $group, $bucket and $bucketAuto take them.</summary>
    public static IEnumerable<(string Field, string Op, Expr Argument)> ParseAccumulators(BsonDocument fields, ParseScope scope)
    {
        var result = new List<(string, string, Expr)>();
        foreach (var e in fields)
        {
            if (e.Name.Contains('.')) throw MongoError.Location(40235, $"The field name '{e.Name}' cannot contain '.'");
            if (e.Name.StartsWith('$'))
                throw MongoError.Location(40236, $"The field name '{e.Name}' cannot be an operator name");
            if (e.Value is not BsonDocument acc || acc.ElementCount == 0 || acc.GetElement(0).Name[0] != '$')
                throw MongoError.Location(40234, $"The field '{e.Name}' must be an accumulator object");
            if (acc.ElementCount > 1) throw MongoError.Location(40238, $"The field '{e.Name}' must specify one accumulator");
            var op = acc.GetElement(0);
            if (Array.IndexOf(Accumulators.GroupNames, op.Name) < 0)
                throw MongoError.Location(15952, $"unknown group operator '{op.Name}'");
            result.Add((e.Name, op.Name, ArgumentOf(op.Name, op.Value, scope)));
        }
        return result;
    }

    private static Expr ArgumentOf(string op, BsonValue value, ParseScope scope)
    {
        switch (op)
        {
            case "$count":
                if (value is not BsonDocument { ElementCount: 0 })
                    throw MongoError.Location(40237, "$count takes no arguments, i.e. $count:{}");
                return _ => 1;
            case "$firstN" or "$lastN" or "$maxN" or "$minN":
                return NamedArguments(op, value, scope, ["input", "n"], v => new BsonDocument { { "n", v["n"] }, { "v", v["input"] } });
            case "$top" or "$bottom" or "$topN" or "$bottomN":
                string[] names = op is "$top" or "$bottom" ? ["sortBy", "output"] : ["sortBy", "output", "n"];
                return NamedArguments(op, value, scope, names, v =>
                {
                    if (v["sortBy"] is not BsonDocument { ElementCount: > 0 } sortBy)
                        throw MongoError.Location(5788604, $"{op} requires 'sortBy' to be an object");
                    if (sortBy.Any(k => !Values.IsNumber(k.Value) || Values.ToDouble(k.Value) is not (1 or -1)))
                        throw MongoError.Location(15975, "$sort key ordering must be 1 (for ascending) or -1 (for descending)");
                    var keys = new BsonArray(sortBy.Select(k => (BsonValue)("$" + k.Name)));
                    var spec = new BsonDocument { { "k", keys }, { "v", v["output"] } };
                    if (v.Contains("n")) spec["n"] = v["n"];
                    return spec;
                });
            default:
                if (value is BsonArray) throw MongoError.Location(40237, $"The {op} accumulator is a unary operator");
                return ExpressionCompiler.Compile(value, scope);
        }
    }

    /// <summary>Accumulators with named arguments are evaluated as one object expression per document.</summary>
    private static Expr NamedArguments(string op, BsonValue value, ParseScope scope, string[] required, Func<BsonDocument, BsonDocument> shape)
    {
        if (value is not BsonDocument args) throw MongoError.Location(5787801, $"specification must be an object; found {Values.TypeName(value)}");
        foreach (var e in args)
        {
            if (Array.IndexOf(required, e.Name) < 0) throw MongoError.Location(5787901, $"Unknown argument for '{op}' accumulator: {e.Name}");
        }
        foreach (var name in required)
        {
            if (!args.Contains(name)) throw MongoError.Location(5787906, $"Missing value for '{name}'");
        }
        var shaped = shape(args);
        var compiledV = ExpressionCompiler.Compile(shaped["v"], scope);
        var compiledN = shaped.TryGetValue("n", out var n) ? ExpressionCompiler.Compile(n, scope) : null;
        var compiledK = shaped.TryGetValue("k", out var keys) ? ExpressionCompiler.Compile(keys, scope) : null;
        var directions = op is "$top" or "$bottom" or "$topN" or "$bottomN"
            ? new BsonArray(args["sortBy"].AsBsonDocument.Select(e => (BsonValue)(Values.ToDouble(e.Value) < 0 ? -1 : 1)))
            : null;
        return s =>
        {
            var v = compiledV(s);
            var result = new BsonDocument { { "v", v ?? BsonNull.Value }, { "missing", v is null } };
            if (compiledN is not null) result["n"] = compiledN(s) ?? BsonNull.Value;
            if (compiledK is not null) result["k"] = compiledK(s)!;
            if (directions is not null) result["d"] = directions;
            return result;
        };
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        var groups = new Dictionary<BsonValue, IAccumulator[]>(new BsonValueKeyComparer(_context.Collation));
        var order = new List<BsonValue>();
        foreach (var document in input)
        {
            var scope = new Scope(document, _context);
            var key = _id(scope) ?? BsonNull.Value;
            if (!groups.TryGetValue(key, out var accs))
            {
                accs = [.. _accumulators.Select(a => Accumulators.Create(a.Op, _context.Collation)!)];
                groups.Add(key, accs);
                order.Add(key);
            }
            for (var i = 0; i < accs.Length; i++) accs[i].Add(_accumulators[i].Argument(scope));
        }
        foreach (var key in order)
        {
            var accs = groups[key];
            var result = new BsonDocument("_id", key);
            for (var i = 0; i < accs.Length; i++) result[_accumulators[i].Field] = accs[i].Result() ?? BsonNull.Value;
            yield return result;
        }
    }
}
