using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

internal static partial class Operators
{
    private static void RegisterLogic(Dictionary<string, Func<BsonValue, ParseScope, Expr>> t)
    {
        foreach (var (name, test) in new (string, Func<int, bool>)[]
                 {
                     ("$eq", c => c == 0), ("$ne", c => c != 0), ("$gt", c => c > 0),
                     ("$gte", c => c >= 0), ("$lt", c => c < 0), ("$lte", c => c <= 0),
                 })
        {
            t[name] = (o, p) =>
            {
                var a = Args(name, o, p, 2, 2);
                return s => test(Values.Compare(a[0](s), a[1](s), s.Context.Collation));
            };
        }
        t["$cmp"] = (o, p) =>
        {
            var a = Args("$cmp", o, p, 2, 2);
            return s => Math.Sign(Values.Compare(a[0](s), a[1](s), s.Context.Collation));
        };
        t["$and"] = (o, p) =>
        {
            var a = Args("$and", o, p, 0);
            return s => a.All(e => Values.IsTrue(e(s)));
        };
        t["$or"] = (o, p) =>
        {
            var a = Args("$or", o, p, 0);
            return s => a.Any(e => Values.IsTrue(e(s)));
        };
        t["$not"] = (o, p) =>
        {
            var a = One("$not", o, p);
            return s => !Values.IsTrue(a(s));
        };
        t["$literal"] = (o, _) => _ => o;
        t["$cond"] = Cond;
        t["$ifNull"] = (o, p) =>
        {
            var a = Operands(o);
            if (a.Length < 2) throw MongoError.Location(1257300, $"$ifNull needs at least two arguments, had: {a.Length}");
            var args = a.Select(v => ExpressionCompiler.Compile(v, p)).ToArray();
            return s =>
            {
                for (var i = 0; i < args.Length - 1; i++)
                {
                    var v = args[i](s);
                    if (!Values.IsNullish(v)) return v;
                }
                return args[^1](s);
            };
        };
        t["$switch"] = Switch;
        t["$let"] = Let;
    }

    private static Expr Cond(BsonValue operand, ParseScope scope)
    {
        Expr cond, then, otherwise;
        if (operand is BsonDocument d)
        {
            foreach (var e in d)
            {
                if (e.Name is not ("if" or "then" or "else"))
                    throw MongoError.Location(17083, $"Unrecognized parameter to $cond: {e.Name}");
            }
            Expr Part(string name) => d.TryGetValue(name, out var v)
                ? ExpressionCompiler.Compile(v, scope)
                : throw MongoError.Location(name switch { "if" => 17080, "then" => 17081, _ => 17082 }, $"Missing '{name}' parameter to $cond");
            (cond, then, otherwise) = (Part("if"), Part("then"), Part("else"));
        }
        else
        {
            var a = Args("$cond", operand, scope, 3, 3);
            (cond, then, otherwise) = (a[0], a[1], a[2]);
        }
        return s => Values.IsTrue(cond(s)) ? then(s) : otherwise(s);
    }

    private static Expr Switch(BsonValue operand, ParseScope scope)
    {
        if (operand is not BsonDocument d) throw MongoError.Location(40060, "$switch requires an object as an argument, found: " + Values.TypeName(operand));
        var branches = new List<(Expr Case, Expr Then)>();
        Expr? fallback = null;
        foreach (var e in d)
        {
            if (e.Name == "branches")
            {
                if (e.Value is not BsonArray arr) throw MongoError.Location(40061, "$switch expected an array for 'branches', found: " + Values.TypeName(e.Value));
                foreach (var b in arr)
                {
                    if (b is not BsonDocument bd) throw MongoError.Location(40062, "$switch expected each branch to be an object, found: " + Values.TypeName(b));
                    foreach (var be in bd)
                    {
                        if (be.Name is not ("case" or "then")) throw MongoError.Location(40063, $"$switch found an unknown argument to a branch: {be.Name}");
                    }
                    if (!bd.TryGetValue("case", out var c)) throw MongoError.Location(40064, "$switch requires each branch have a 'case' expression");
                    if (!bd.TryGetValue("then", out var th)) throw MongoError.Location(40065, "$switch requires each branch have a 'then' expression.");
                    branches.Add((ExpressionCompiler.Compile(c, scope), ExpressionCompiler.Compile(th, scope)));
                }
            }
            else if (e.Name == "default")
            {
                fallback = ExpressionCompiler.Compile(e.Value, scope);
            }
            else
            {
                throw MongoError.Location(40067, $"$switch found an unknown argument: {e.Name}");
            }
        }
        if (branches.Count == 0) throw MongoError.Location(40068, "$switch requires at least one branch.");
        return s =>
        {
            foreach (var (c, th) in branches)
            {
                if (Values.IsTrue(c(s))) return th(s);
            }
            return fallback is not null
                ? fallback(s)
                : throw MongoError.Location(40066, "$switch could not find a matching branch for an input, and no default was specified.");
        };
    }

    private static Expr Let(BsonValue operand, ParseScope scope)
    {
        if (operand is not BsonDocument d) throw MongoError.Location(16874, "$let only supports an object as its argument");
        foreach (var e in d)
        {
            if (e.Name is not ("vars" or "in")) throw MongoError.Location(16875, $"Unrecognized parameter to $let: {e.Name}");
        }
        if (!d.TryGetValue("vars", out var varsValue)) throw MongoError.Location(16876, "Missing 'vars' parameter to $let");
        if (!d.TryGetValue("in", out var inValue)) throw MongoError.Location(16877, "Missing 'in' parameter to $let");
        if (varsValue is not BsonDocument vars) throw MongoError.Location(10065, "invalid parameter: expected an object (vars)");
        var bindings = vars.Select(v => (Name: VariableName(v.Name, "$let"), Value: ExpressionCompiler.Compile(v.Value, scope))).ToArray();
        var body = ExpressionCompiler.Compile(inValue, scope.With([.. bindings.Select(b => b.Name)]));
        return s =>
        {
            var inner = s;
            foreach (var (name, value) in bindings) inner = inner.With(name, value(s));
            return body(inner);
        };
    }
}
