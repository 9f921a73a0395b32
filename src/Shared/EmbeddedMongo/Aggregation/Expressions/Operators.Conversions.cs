using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

internal static partial class Operators
{
    private static void RegisterConversions(Dictionary<string, Func<BsonValue, ParseScope, Expr>> t)
    {
        t["$type"] = (o, p) =>
        {
            var a = One("$type", o, p);
            return s => Values.TypeName(a(s));
        };
        t["$isNumber"] = (o, p) =>
        {
            var a = One("$isNumber", o, p);
            return s => Values.IsNumber(a(s));
        };
        foreach (var (name, to) in new[]
                 {
                     ("$toString", "string"), ("$toInt", "int"), ("$toLong", "long"), ("$toDouble", "double"),
                     ("$toDecimal", "decimal"), ("$toBool", "bool"), ("$toObjectId", "objectId"), ("$toDate", "date"),
                 })
        {
            t[name] = (o, p) =>
            {
                var a = One(name, o, p);
                return s => a(s) is var v && Values.IsNullish(v) ? BsonNull.Value : Conversions.Convert(v!, to);
            };
        }
        t["$convert"] = Convert;
    }

    private static Expr Convert(BsonValue operand, ParseScope scope)
    {
        var args = Named("$convert", operand, 2, "input", "to", "onError", "onNull", "format", "base", "byteOrder");
        if (!args.TryGetValue("input", out var inputSpec)) throw MongoError.FailedToParse("Missing 'input' parameter to $convert");
        if (!args.TryGetValue("to", out var toSpec)) throw MongoError.FailedToParse("Missing 'to' parameter to $convert");
        var input = ExpressionCompiler.Compile(inputSpec, scope);
        var to = ExpressionCompiler.Compile(toSpec, scope);
        var onError = Optional(args, "onError", scope);
        var onNull = Optional(args, "onNull", scope);
        return s =>
        {
            var toValue = to(s);
            var v = input(s);
            if (Values.IsNullish(toValue)) return BsonNull.Value;
            var target = Conversions.TargetType(toValue!);
            if (Values.IsNullish(v)) return onNull is null ? BsonNull.Value : onNull(s);
            try
            {
                return Conversions.Convert(v!, target);
            }
            catch (MongoError e) when (e.Code == 241 && onError is not null)
            {
                return onError(s);
            }
        };
    }
}
