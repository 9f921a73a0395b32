using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>Value helpers shared by operators and accumulators: truthiness, type names, comparison with "missing".</summary>
internal static class Values
{
    public static bool IsTrue(BsonValue? value) => value switch
    {
        null or BsonNull or BsonUndefined => false,
        BsonBoolean b => b.Value,
        BsonInt32 i => i.Value != 0,
        BsonInt64 l => l.Value != 0,
        BsonDouble d => d.Value != 0,
        BsonDecimal128 m => !Decimal128.IsZero(m.Value),
        _ => true,
    };

    public static bool IsNullish(BsonValue? value) => value is null or BsonNull or BsonUndefined;

    public static bool IsNumber(BsonValue? value) =>
        value is BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128;

    public static string TypeName(BsonValue? value) => value is null ? "missing" : BsonTypeNames.Of(value);

    /// <summary>Aggregation comparison: "missing" ranks with undefined, above MinKey and below everything else.</summary>
    public static int Compare(BsonValue? a, BsonValue? b, Collation? collation)
    {
        if (a is null || b is null)
        {
            if (a is null && b is null) return 0;
            var other = a ?? b!;
            var c = other is BsonMinKey ? 1 : other is BsonUndefined ? 0 : -1;
            return a is null ? c : -c;
        }
        return BsonOrder.Compare(a, b, collation);
    }

    public static bool Equal(BsonValue? a, BsonValue? b, Collation? collation) => Compare(a, b, collation) == 0;

    public static double ToDouble(BsonValue value) => value switch
    {
        BsonInt32 i => i.Value,
        BsonInt64 l => l.Value,
        BsonDouble d => d.Value,
        BsonDecimal128 m => (double)m.Value,
        _ => throw new InvalidOperationException("not a number"),
    };

    public static decimal ToDecimal(BsonValue value) => value switch
    {
        BsonInt32 i => i.Value,
        BsonInt64 l => l.Value,
        BsonDouble d => (decimal)d.Value,
        BsonDecimal128 m => DecimalOf(m.Value),
        _ => throw new InvalidOperationException("not a number"),
    };

    private static decimal DecimalOf(Decimal128 value)
    {
        try
        {
            return Decimal128.ToDecimal(value);
        }
        catch (Exception e) when (e is OverflowException or InvalidCastException or ArgumentException)
        {
            throw MongoError.BadValue($"decimal {value} is outside the range the embedded server computes with (about ±7.9e28)");
        }
    }

    /// <summary>Whether the number is integral and fits a long (MongoDB's "representable as a long").</summary>
    public static bool TryGetLong(BsonValue value, out long result)
    {
        switch (value)
        {
            case BsonInt32 i: result = i.Value; return true;
            case BsonInt64 l: result = l.Value; return true;
            case BsonDouble d when Math.Floor(d.Value) == d.Value && d.Value >= long.MinValue && d.Value < 9.2233720368547758E18:
                result = (long)d.Value; return true;
            case BsonDecimal128 m when !Decimal128.IsNaN(m.Value) && !Decimal128.IsInfinity(m.Value)
                                       && m.Value >= new Decimal128(long.MinValue) && m.Value <= new Decimal128(long.MaxValue):
                var dec = Decimal128.ToDecimal(m.Value);
                if (decimal.Truncate(dec) == dec)
                {
                    result = (long)dec;
                    return true;
                }
                break;
        }
        result = 0;
        return false;
    }

    public static bool TryGetInt(BsonValue value, out int result)
    {
        if (TryGetLong(value, out var l) && l is >= int.MinValue and <= int.MaxValue)
        {
            result = (int)l;
            return true;
        }
        result = 0;
        return false;
    }

    /// <summary>MongoDB's canonical type rank: numbers share one, so do string and symbol.</summary>
    public static int CanonicalType(BsonValue value) => BsonOrder.CanonicalType(value);

    public static string Describe(BsonValue? value) => value is null ? "missing" : value.ToJson();
}

/// <summary>Numeric arithmetic with MongoDB's type promotion: int, long (on overflow), double, decimal.</summary>
internal static class Numbers
{
    public enum Kind { Int, Long, Double, Decimal }

    public static Kind KindOf(BsonValue v) => v switch
    {
        BsonInt32 => Kind.Int,
        BsonInt64 => Kind.Long,
        BsonDouble => Kind.Double,
        _ => Kind.Decimal,
    };

    public static Kind Widest(Kind a, Kind b) => a > b ? a : b;

    public static BsonValue Add(BsonValue a, BsonValue b) => Combine(a, b, (x, y) => checked(x + y), (x, y) => x + y, (x, y) => x + y);

    public static BsonValue Subtract(BsonValue a, BsonValue b) => Combine(a, b, (x, y) => checked(x - y), (x, y) => x - y, (x, y) => x - y);

    public static BsonValue Multiply(BsonValue a, BsonValue b) => Combine(a, b, (x, y) => checked(x * y), (x, y) => x * y, (x, y) => x * y);

    private static BsonValue Combine(BsonValue a, BsonValue b, Func<long, long, long> onLong,
        Func<double, double, double> onDouble, Func<decimal, decimal, decimal> onDecimal)
    {
        var kind = Widest(KindOf(a), KindOf(b));
        switch (kind)
        {
            case Kind.Decimal:
                return new BsonDecimal128(new Decimal128(onDecimal(Values.ToDecimal(a), Values.ToDecimal(b))));
            case Kind.Double:
                return new BsonDouble(onDouble(Values.ToDouble(a), Values.ToDouble(b)));
            default:
                long la = a is BsonInt32 ia ? ia.Value : a.AsInt64, lb = b is BsonInt32 ib ? ib.Value : b.AsInt64;
                long r;
                try
                {
                    r = onLong(la, lb);
                }
                catch (OverflowException)
                {
                    return new BsonDouble(onDouble(la, lb));
                }
                return kind == Kind.Int && r is >= int.MinValue and <= int.MaxValue ? new BsonInt32((int)r) : new BsonInt64(r);
        }
    }

    public static bool IsZero(BsonValue v) => v switch
    {
        BsonInt32 i => i.Value == 0,
        BsonInt64 l => l.Value == 0,
        BsonDouble d => d.Value == 0,
        BsonDecimal128 m => Values.ToDecimal(m) == 0,
        _ => false,
    };
}
