using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>$bitsAllSet / $bitsAnySet / $bitsAllClear / $bitsAnyClear on integral numbers and binary data.</summary>
internal sealed class BitTest : IValueTest
{
    private readonly int[] _positions;
    private readonly bool _set;
    private readonly bool _all;

    private BitTest(int[] positions, bool set, bool all)
    {
        _positions = positions;
        _set = set;
        _all = all;
    }

    public static BitTest Parse(string name, BsonValue operand)
    {
        var positions = new List<int>();
        switch (operand)
        {
            case BsonArray array:
                foreach (var p in array)
                {
                    if (!BsonOrder.IsNumber(p)) throw MongoError.BadValue($"bit positions must be an integer but got: {p}");
                    var d = p.ToDouble();
                    if (d != Math.Floor(d)) throw MongoError.BadValue($"bit positions must be an integer but got: {p}");
                    if (d < 0) throw MongoError.BadValue($"bit positions must be >= 0 but got: {p}");
                    positions.Add((int)Math.Min(d, int.MaxValue));
                }
                break;
            case BsonBinaryData bin:
                for (var i = 0; i < bin.Bytes.Length * 8; i++)
                {
                    if ((bin.Bytes[i / 8] & (1 << (i % 8))) != 0) positions.Add(i);
                }
                break;
            default:
                if (!BsonOrder.IsNumber(operand))
                    throw MongoError.BadValue($"{name} takes an Array, a number, or a BinData but received: {operand}");
                var mask = operand.ToDouble();
                if (mask != Math.Floor(mask)) throw MongoError.BadValue($"{name} cannot take a non-integral number");
                if (mask < 0) throw MongoError.BadValue($"{name} cannot take a negative number");
                if (mask >= 9.2233720368547758E18) throw MongoError.BadValue($"{name} cannot represent {operand} as a 64-bit integer");
                var bits = operand.BsonType is BsonType.Int32 or BsonType.Int64 ? operand.ToInt64() : (long)mask;
                for (var i = 0; i < 64; i++)
                {
                    if ((bits & (1L << i)) != 0) positions.Add(i);
                }
                break;
        }
        return new BitTest(positions.ToArray(), set: name.Contains("Set"), all: name.Contains("All"));
    }

    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        switch (value)
        {
            case BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128:
                var d = value.ToDouble();
                if (d != Math.Floor(d) || d >= 9.2233720368547758E18 || d < -9.2233720368547758E18) return false;
                var bits = value.BsonType is BsonType.Int32 or BsonType.Int64 ? value.ToInt64() : (long)d;
                return Evaluate(i => i >= 64 ? bits < 0 : (bits & (1L << i)) != 0);
            case BsonBinaryData bin:
                var bytes = bin.Bytes;
                return Evaluate(i => i / 8 < bytes.Length && (bytes[i / 8] & (1 << (i % 8))) != 0);
            default:
                return false;
        }
    }

    private bool Evaluate(Func<int, bool> isSet)
    {
        foreach (var p in _positions)
        {
            var matches = isSet(p) == _set;
            if (_all && !matches) return false;
            if (!_all && matches) return true;
        }
        return _all;
    }
}
