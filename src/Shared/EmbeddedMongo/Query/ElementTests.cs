using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

// $exists, $type and $mod on one value (null = missing field).

internal sealed class ExistsTest : IValueTest
{
    public static readonly ExistsTest Instance = new();

    public bool Test(BsonValue? value, ref int arrayIndex) => value is not null;
}

internal sealed class TypeTest(BsonType[] types, bool anyNumber) : IValueTest
{
    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        if (value is null) return false;
        if (anyNumber && BsonOrder.IsNumber(value)) return true;
        return Array.IndexOf(types, value.BsonType) >= 0;
    }
}

internal sealed class ModTest(long divisor, long remainder) : IValueTest
{
    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        if (value is null || !BsonOrder.IsNumber(value)) return false;
        long n;
        switch (value.BsonType)
        {
            case BsonType.Int32:
            case BsonType.Int64:
                n = value.ToInt64();
                break;
            default:
                var d = value.BsonType == BsonType.Double ? value.AsDouble : value.ToDouble();
                if (double.IsNaN(d) || double.IsInfinity(d) || d >= 9.2233720368547758E18 || d < -9.2233720368547758E18) return false;
                n = (long)Math.Truncate(d);
                break;
        }
        return (divisor == -1 ? 0 : n % divisor) == remainder;
    }
}
