using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

internal static partial class Operators
{
    private static void RegisterAccumulatorExpressions(Dictionary<string, Func<BsonValue, ParseScope, Expr>> t)
    {
        foreach (var name in new[] { "$sum", "$avg", "$min", "$max", "$stdDevPop", "$stdDevSamp" })
        {
            t[name] = (o, p) =>
            {
                var args = Args(name, o, p, 0);
                return s =>
                {
                    var acc = Accumulators.Create(name, s.Context.Collation)!;
                    if (args.Length == 1 && args[0](s) is BsonArray arr)
                    {
                        foreach (var e in arr) acc.Add(e);
                    }
                    else
                    {
                        foreach (var a in args) acc.Add(a(s));
                    }
                    return acc.Result();
                };
            };
        }
    }
}
