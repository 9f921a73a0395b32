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
        Expr? id = null;
        var accumulators = new List<(string, string, Expr)>();
        foreach (var e in doc)
        {
            if (e.Name == "_id")
            {
                id = ExpressionCompiler.Compile(e.Value, scope);
                continue;
            }
            if (e.Name.Contains('.')) throw MongoError.Location(40235, $"The field name '{e.Name}' cannot contain '.'");
            if (e.Name.StartsWith('$'))
                throw MongoError.Location(40236, $"The field name '{e.Name}' cannot be an operator name");
            if (e.Value is not BsonDocument acc || acc.ElementCount == 0 || acc.GetElement(0).Name[0] != '$')
                throw MongoError.Location(40234, $"The field '{e.Name}' must be an accumulator object");
            if (acc.ElementCount > 1) throw MongoError.Location(40238, $"The field '{e.Name}' must specify one accumulator");
            var op = acc.GetElement(0);
            if (Array.IndexOf(Accumulators.GroupNames, op.Name) < 0)
                throw MongoError.Location(15952, $"unknown group operator '{op.Name}'");
            if (op.Value is BsonArray && op.Name != "$push" && op.Name != "$addToSet" && op.Name != "$first" && op.Name != "$last"
                && op.Name != "$mergeObjects" && op.Name != "$count")
                throw MongoError.Location(40237, $"The {op.Name} accumulator is a unary operator");
            Expr argument;
            if (op.Name == "$count")
            {
                if (op.Value is not BsonDocument { ElementCount: 0 })
                    throw MongoError.Location(40237, "$count takes no arguments, i.e. $count:{}");
                argument = _ => 1;
            }
            else
            {
                if (op.Value is BsonArray) throw MongoError.Location(40237, $"The {op.Name} accumulator is a unary operator");
                argument = ExpressionCompiler.Compile(op.Value, scope);
            }
            accumulators.Add((e.Name, op.Name, argument));
        }
        if (id is null) throw MongoError.Location(15955, "a group specification must include an _id");
        return new GroupStage(id, [.. accumulators], scope.Context);
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
