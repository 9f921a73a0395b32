using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Update;

/// <summary>
/// $inc/$mul/$bit arithmetic with MongoDB's type promotion: int32 overflows into int64, anything with a double is a
/// double, anything with a decimal is a decimal; an int64 overflow has no result (null).
/// </summary>
internal static class BsonArithmetic
{
    public static bool IsNumber(BsonValue value) =>
        value.BsonType is BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128;

    public static BsonValue? Add(BsonValue a, BsonValue b)
    {
        if (a.IsDecimal128 || b.IsDecimal128) return Decimal(a, b, static (x, y) => x + y);
        if (a.IsDouble || b.IsDouble) return new BsonDouble(ToDouble(a) + ToDouble(b));
        if (a.IsInt64 || b.IsInt64)
        {
            var x = ToInt64(a);
            var y = ToInt64(b);
            var sum = unchecked(x + y);
            return ((x ^ sum) & (y ^ sum)) < 0 ? null : new BsonInt64(sum);
        }
        return Narrow((long)a.AsInt32 + b.AsInt32);
    }

    public static BsonValue? Multiply(BsonValue a, BsonValue b)
    {
        if (a.IsDecimal128 || b.IsDecimal128) return Decimal(a, b, static (x, y) => x * y);
        if (a.IsDouble || b.IsDouble) return new BsonDouble(ToDouble(a) * ToDouble(b));
        if (a.IsInt64 || b.IsInt64)
        {
            long product;
            try
            {
                product = checked(ToInt64(a) * ToInt64(b));
            }
            catch (OverflowException)
            {
                return null;
            }
            return new BsonInt64(product);
        }
        return Narrow((long)a.AsInt32 * b.AsInt32);
    }

    private static BsonValue Narrow(long value) =>
        value is >= int.MinValue and <= int.MaxValue ? new BsonInt32((int)value) : new BsonInt64(value);

    private static double ToDouble(BsonValue v) => v.BsonType switch
    {
        BsonType.Int32 => v.AsInt32,
        BsonType.Int64 => v.AsInt64,
        _ => v.AsDouble,
    };

    private static long ToInt64(BsonValue v) => v.IsInt32 ? v.AsInt32 : v.AsInt64;

    private static BsonValue? Decimal(BsonValue a, BsonValue b, Func<decimal, decimal, decimal> op)
    {
        try
        {
            return new BsonDecimal128(new Decimal128(op(ToDecimal(a), ToDecimal(b))));
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    // System.Decimal's conversion from double keeps 15 significant digits, as MongoDB's does.
    private static decimal ToDecimal(BsonValue v) => v.BsonType switch
    {
        BsonType.Int32 => v.AsInt32,
        BsonType.Int64 => v.AsInt64,
        BsonType.Double => (decimal)v.AsDouble,
        _ => Decimal128.ToDecimal(v.AsDecimal128),
    };
}
