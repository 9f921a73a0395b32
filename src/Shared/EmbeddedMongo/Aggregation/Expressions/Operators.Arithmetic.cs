using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

internal static partial class Operators
{
    private static void RegisterArithmetic(Dictionary<string, Func<BsonValue, ParseScope, Expr>> t)
    {
        t["$add"] = (o, p) => Add(Args("$add", o, p, 0));
        t["$subtract"] = (o, p) => Subtract(Args("$subtract", o, p, 2, 2));
        t["$multiply"] = (o, p) => Multiply(Args("$multiply", o, p, 0));
        t["$divide"] = (o, p) => Divide(Args("$divide", o, p, 2, 2));
        t["$mod"] = (o, p) => Mod(Args("$mod", o, p, 2, 2));
        t["$abs"] = (o, p) => Abs(One("$abs", o, p));
        t["$ceil"] = (o, p) => RoundingUnary("$ceil", One("$ceil", o, p), Math.Ceiling, decimal.Ceiling);
        t["$floor"] = (o, p) => RoundingUnary("$floor", One("$floor", o, p), Math.Floor, decimal.Floor);
        t["$sqrt"] = (o, p) => DoubleUnary("$sqrt", One("$sqrt", o, p), Math.Sqrt, x => x < 0 ? (28714, "$sqrt's argument must be greater than or equal to 0") : null, 28713);
        t["$exp"] = (o, p) => DoubleUnary("$exp", One("$exp", o, p), Math.Exp, null, 28765);
        t["$ln"] = (o, p) => DoubleUnary("$ln", One("$ln", o, p), Math.Log, x => x <= 0 ? (28766, $"$ln's argument must be a positive number, but is {x}") : null, 28765);
        t["$log10"] = (o, p) => DoubleUnary("$log10", One("$log10", o, p), Math.Log10, x => x <= 0 ? (28761, $"$log10's argument must be a positive number, but is {x}") : null, 28765);
        t["$log"] = (o, p) => Log(Args("$log", o, p, 2, 2));
        t["$pow"] = (o, p) => Pow(Args("$pow", o, p, 2, 2));
        t["$round"] = (o, p) => Round("$round", Args("$round", o, p, 1, 2), true);
        t["$trunc"] = (o, p) => Round("$trunc", Args("$trunc", o, p, 1, 2), false);
        foreach (var (name, f) in new (string, Func<double, double>)[]
                 {
                     ("$sin", Math.Sin), ("$cos", Math.Cos), ("$tan", Math.Tan), ("$asin", Math.Asin), ("$acos", Math.Acos),
                     ("$atan", Math.Atan), ("$sinh", Math.Sinh), ("$cosh", Math.Cosh), ("$tanh", Math.Tanh),
                     ("$asinh", Math.Asinh), ("$acosh", Math.Acosh), ("$atanh", Math.Atanh),
                     ("$degreesToRadians", x => x * Math.PI / 180), ("$radiansToDegrees", x => x * 180 / Math.PI),
                 })
        {
            t[name] = (o, p) => DoubleUnary(name, One(name, o, p), f, null, 28765);
        }
        t["$rand"] = (o, _) => o is BsonDocument { ElementCount: 0 }
            ? _ => Random.Shared.NextDouble()
            : throw MongoError.Location(3040501, "$rand does not currently accept arguments");
        t["$atan2"] = (o, p) =>
        {
            var a = Args("$atan2", o, p, 2, 2);
            return s =>
            {
                var (y, x) = (a[0](s), a[1](s));
                if (Values.IsNullish(y) || Values.IsNullish(x)) return BsonNull.Value;
                if (!Values.IsNumber(y) || !Values.IsNumber(x))
                    throw MongoError.Location(51044, $"$atan2 only supports numeric types, not {Values.TypeName(y)} and {Values.TypeName(x)}");
                return Math.Atan2(Values.ToDouble(y!), Values.ToDouble(x!));
            };
        };
    }

    private static Expr Add(Expr[] args) => s =>
    {
        BsonValue total = 0;
        long? dateMs = null;
        var sawNull = false;
        foreach (var arg in args)
        {
            var v = arg(s);
            if (Values.IsNullish(v))
            {
                sawNull = true;
                continue;
            }
            if (v is BsonDateTime d)
            {
                if (dateMs is not null) throw MongoError.Location(16612, "only one date allowed in an $add expression");
                dateMs = d.MillisecondsSinceEpoch;
                continue;
            }
            if (!Values.IsNumber(v))
                throw MongoError.Location(16554, $"$add only supports numeric or date types, not {Values.TypeName(v)}");
            total = Numbers.Add(total, v!);
        }
        if (sawNull) return BsonNull.Value;
        if (dateMs is { } ms) return new BsonDateTime(ms + RoundToLong(total));
        return total;
    };

    private static long RoundToLong(BsonValue number) => number switch
    {
        BsonInt32 i => i.Value,
        BsonInt64 l => l.Value,
        _ => (long)Math.Round(Values.ToDouble(number), MidpointRounding.AwayFromZero),
    };

    private static Expr Subtract(Expr[] args) => s =>
    {
        var (a, b) = (args[0](s), args[1](s));
        if (Values.IsNullish(a) || Values.IsNullish(b)) return BsonNull.Value;
        if (a is BsonDateTime da)
        {
            if (b is BsonDateTime db) return new BsonInt64(da.MillisecondsSinceEpoch - db.MillisecondsSinceEpoch);
            if (Values.IsNumber(b)) return new BsonDateTime(da.MillisecondsSinceEpoch - RoundToLong(b!));
            throw MongoError.Location(16613, $"cant $subtract a {Values.TypeName(b)} from a date");
        }
        if (b is BsonDateTime) throw MongoError.Location(16556, $"cant $subtract a date from a {Values.TypeName(a)}");
        if (!Values.IsNumber(a) || !Values.IsNumber(b))
        {
            throw MongoError.Location(16556,
                $"cant $subtract a {Values.TypeName(b)} from a {Values.TypeName(a)}");
        }
        return Numbers.Subtract(a!, b!);
    };

    private static Expr Multiply(Expr[] args) => s =>
    {
        BsonValue product = 1;
        var sawNull = false;
        foreach (var arg in args)
        {
            var v = arg(s);
            if (Values.IsNullish(v))
            {
                sawNull = true;
                continue;
            }
            if (!Values.IsNumber(v))
                throw MongoError.Location(16555, $"$multiply only supports numeric types, not {Values.TypeName(v)}");
            product = Numbers.Multiply(product, v!);
        }
        return sawNull ? BsonNull.Value : product;
    };

    private static Expr Divide(Expr[] args) => s =>
    {
        var (a, b) = (args[0](s), args[1](s));
        if (Values.IsNullish(a) || Values.IsNullish(b)) return BsonNull.Value;
        if (!Values.IsNumber(a) || !Values.IsNumber(b))
        {
            throw MongoError.Location(16609,
                $"$divide only supports numeric types, not {Values.TypeName(a)} and {Values.TypeName(b)}");
        }
        if (Numbers.IsZero(b!)) throw MongoError.Location(16608, "can't $divide by zero");
        if (a is BsonDecimal128 || b is BsonDecimal128)
            return new BsonDecimal128(new Decimal128(Values.ToDecimal(a!) / Values.ToDecimal(b!)));
        return Values.ToDouble(a!) / Values.ToDouble(b!);
    };

    private static Expr Mod(Expr[] args) => s =>
    {
        var (a, b) = (args[0](s), args[1](s));
        if (Values.IsNullish(a) || Values.IsNullish(b)) return BsonNull.Value;
        if (!Values.IsNumber(a) || !Values.IsNumber(b))
        {
            throw MongoError.Location(16611,
                $"$mod only supports numeric types, not {Values.TypeName(a)} and {Values.TypeName(b)}");
        }
        if (Numbers.IsZero(b!)) throw MongoError.Location(16610, "can't $mod by zero");
        return Numbers.Widest(Numbers.KindOf(a!), Numbers.KindOf(b!)) switch
        {
            Numbers.Kind.Decimal => new BsonDecimal128(new Decimal128(Values.ToDecimal(a!) % Values.ToDecimal(b!))),
            Numbers.Kind.Double => new BsonDouble(Values.ToDouble(a!) % Values.ToDouble(b!)),
            Numbers.Kind.Long => new BsonInt64(b!.ToInt64() == -1 ? 0 : a!.ToInt64() % b!.ToInt64()),
            _ => new BsonInt32(b!.AsInt32 == -1 ? 0 : a!.AsInt32 % b!.AsInt32),
        };
    };

    private static Expr Abs(Expr arg) => s =>
    {
        var v = arg(s);
        if (Values.IsNullish(v)) return BsonNull.Value;
        return v switch
        {
            BsonInt32 i => i.Value == int.MinValue ? new BsonInt64(-(long)int.MinValue) : new BsonInt32(Math.Abs(i.Value)),
            BsonInt64 l => l.Value == long.MinValue
                ? throw MongoError.Location(28680, "can't take $abs of long long min")
                : new BsonInt64(Math.Abs(l.Value)),
            BsonDouble d => new BsonDouble(Math.Abs(d.Value)),
            BsonDecimal128 m => new BsonDecimal128(new Decimal128(Math.Abs(Values.ToDecimal(m)))),
            _ => throw MongoError.Location(28765, $"$abs only supports numeric types, not {Values.TypeName(v)}"),
        };
    };

    private static Expr RoundingUnary(string name, Expr arg, Func<double, double> onDouble, Func<decimal, decimal> onDecimal) => s =>
    {
        var v = arg(s);
        if (Values.IsNullish(v)) return BsonNull.Value;
        return v switch
        {
            BsonInt32 or BsonInt64 => v,
            BsonDouble d => new BsonDouble(onDouble(d.Value)),
            BsonDecimal128 m => new BsonDecimal128(new Decimal128(onDecimal(Values.ToDecimal(m)))),
            _ => throw MongoError.Location(28765, $"{name} only supports numeric types, not {Values.TypeName(v)}"),
        };
    };

    private static Expr DoubleUnary(string name, Expr arg, Func<double, double> f, Func<double, (int, string)?>? check, int typeCode) => s =>
    {
        var v = arg(s);
        if (Values.IsNullish(v)) return BsonNull.Value;
        if (!Values.IsNumber(v))
            throw MongoError.Location(typeCode, $"{name} only supports numeric types, not {Values.TypeName(v)}");
        var x = Values.ToDouble(v!);
        if (check?.Invoke(x) is var (code, message)) throw MongoError.Location(code, message);
        var r = f(x);
        return v is BsonDecimal128 ? new BsonDecimal128(new Decimal128(r)) : new BsonDouble(r);
    };

    private static Expr Log(Expr[] args) => s =>
    {
        var (n, b) = (args[0](s), args[1](s));
        if (Values.IsNullish(n) || Values.IsNullish(b)) return BsonNull.Value;
        if (!Values.IsNumber(n)) throw MongoError.Location(28756, $"$log's argument must be numeric, not {Values.TypeName(n)}");
        if (!Values.IsNumber(b)) throw MongoError.Location(28757, $"$log's base must be numeric, not {Values.TypeName(b)}");
        var (x, y) = (Values.ToDouble(n!), Values.ToDouble(b!));
        if (x <= 0) throw MongoError.Location(28758, $"$log's argument must be a positive number, but is {x}");
        if (y <= 0 || y == 1) throw MongoError.Location(28759, $"$log's base must be a positive number not equal to 1, but is {y}");
        return Math.Log(x) / Math.Log(y);
    };

    private static Expr Pow(Expr[] args) => s =>
    {
        var (b, e) = (args[0](s), args[1](s));
        if (Values.IsNullish(b) || Values.IsNullish(e)) return BsonNull.Value;
        if (!Values.IsNumber(b)) throw MongoError.Location(28762, $"$pow's base must be numeric, not {Values.TypeName(b)}");
        if (!Values.IsNumber(e)) throw MongoError.Location(28763, $"$pow's exponent must be numeric, not {Values.TypeName(e)}");
        var (x, y) = (Values.ToDouble(b!), Values.ToDouble(e!));
        if (x == 0 && y < 0) throw MongoError.Location(28764, "$pow cannot take a base of 0 and a negative exponent");
        var kind = Numbers.Widest(Numbers.KindOf(b!), Numbers.KindOf(e!));
        if (kind == Numbers.Kind.Decimal) return new BsonDecimal128(new Decimal128(Math.Pow(x, y)));
        if (kind == Numbers.Kind.Double) return Math.Pow(x, y);
        long lb = b!.ToInt64(), le = e!.ToInt64();
        if (le < 0)
        {
            if (lb == 1) return kind == Numbers.Kind.Int ? new BsonInt32(1) : new BsonInt64(1);
            if (lb == -1)
            {
                var r = le % 2 == 0 ? 1 : -1;
                return kind == Numbers.Kind.Int ? new BsonInt32(r) : new BsonInt64(r);
            }
            return Math.Pow(x, y);
        }
        long result;
        if (lb is 0 or 1) result = le == 0 ? 1 : lb;
        else if (lb == -1) result = le % 2 == 0 ? 1 : -1;
        else
        {
            result = 1;
            try
            {
                for (long i = 0; i < le; i++) result = checked(result * lb);
            }
            catch (OverflowException)
            {
                return Math.Pow(x, y);
            }
        }
        if (kind == Numbers.Kind.Int && result is >= int.MinValue and <= int.MaxValue) return new BsonInt32((int)result);
        return new BsonInt64(result);
    };

    private static Expr Round(string name, Expr[] args, bool round) => s =>
    {
        var v = args[0](s);
        var placeValue = args.Length > 1 ? args[1](s) : 0;
        if (Values.IsNullish(v) || Values.IsNullish(placeValue)) return BsonNull.Value;
        if (!Values.IsNumber(v)) throw MongoError.Location(51081, $"{name} only supports numeric types, not {Values.TypeName(v)}");
        if (!Values.TryGetLong(placeValue!, out var place))
            throw MongoError.Location(51082, $"precision argument to  {name} must be a integral value");
        if (place is < -20 or > 100)
            throw MongoError.Location(51083, $"cannot apply {name} with precision value {place} value must be in [-20, 100]");
        var mode = round ? MidpointRounding.ToEven : MidpointRounding.ToZero;
        switch (v)
        {
            case BsonInt32 or BsonInt64:
                if (place >= 0) return v;
                var factor = (decimal)Math.Pow(10, -place);
                var rounded = Math.Round(v!.ToInt64() / factor, mode) * factor;
                return v is BsonInt32 && rounded is >= int.MinValue and <= int.MaxValue ? new BsonInt32((int)rounded) : new BsonInt64((long)rounded);
            case BsonDecimal128 m:
                var dec = Values.ToDecimal(m);
                if (place >= 0) return new BsonDecimal128(new Decimal128(Math.Round(dec, (int)Math.Min(place, 28), mode)));
                var f = (decimal)Math.Pow(10, -place);
                return new BsonDecimal128(new Decimal128(Math.Round(dec / f, mode) * f));
            default:
                var d = Values.ToDouble(v!);
                if (double.IsNaN(d) || double.IsInfinity(d)) return v;
                if (place > 15) return v;
                if (place >= 0)
                {
                    var scaled = (decimal?)null;
                    try { scaled = (decimal)d; } catch (OverflowException) { }
                    return scaled is { } sd ? (double)Math.Round(sd, (int)place, mode) : v;
                }
                var p10 = Math.Pow(10, -place);
                return Math.Round(d / p10, mode) * p10;
        }
    };
}
