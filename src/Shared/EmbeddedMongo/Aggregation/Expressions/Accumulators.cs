using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>One running accumulator of $group (also used by $sum/$avg/... as array expressions).</summary>
internal interface IAccumulator
{
    void Add(BsonValue? value);

    BsonValue? Result();
}

internal static class Accumulators
{
    public static readonly string[] GroupNames =
        ["$sum", "$avg", "$min", "$max", "$first", "$last", "$push", "$addToSet", "$mergeObjects", "$stdDevPop", "$stdDevSamp", "$count"];

    public static IAccumulator? Create(string name, Collation? collation) => name switch
    {
        "$sum" or "$count" => new Sum(),
        "$avg" => new Avg(),
        "$min" => new Extreme(collation, -1),
        "$max" => new Extreme(collation, 1),
        "$first" => new First(),
        "$last" => new Last(),
        "$push" => new Push(),
        "$addToSet" => new AddToSet(collation),
        "$mergeObjects" => new MergeObjects(),
        "$stdDevPop" => new StdDev(sample: false),
        "$stdDevSamp" => new StdDev(sample: true),
        _ => null,
    };

    private sealed class Sum : IAccumulator
    {
        private BsonValue _total = 0;

        public void Add(BsonValue? value)
        {
            if (Values.IsNumber(value)) _total = Numbers.Add(_total, value!);
        }

        public BsonValue? Result() => _total;
    }

    private sealed class Avg : IAccumulator
    {
        private BsonValue _total = 0;
        private long _count;

        public void Add(BsonValue? value)
        {
            if (!Values.IsNumber(value)) return;
            _total = Numbers.Add(_total is BsonInt32 or BsonInt64 && value is BsonInt32 or BsonInt64 ? _total : ToDoubleOrDecimal(_total), value!);
            _count++;
        }

        private static BsonValue ToDoubleOrDecimal(BsonValue v) => v is BsonDecimal128 ? v : Values.ToDouble(v);

        public BsonValue? Result()
        {
            if (_count == 0) return BsonNull.Value;
            if (_total is BsonDecimal128 m) return new BsonDecimal128(new Decimal128(Values.ToDecimal(m) / _count));
            return Values.ToDouble(_total) / _count;
        }
    }

    private sealed class Extreme(Collation? collation, int direction) : IAccumulator
    {
        private BsonValue? _best;

        public void Add(BsonValue? value)
        {
            if (Values.IsNullish(value)) return;
            if (_best is null || direction * Values.Compare(value, _best, collation) > 0) _best = value;
        }

        public BsonValue? Result() => _best ?? BsonNull.Value;
    }

    private sealed class First : IAccumulator
    {
        private BsonValue? _value;
        private bool _seen;

        public void Add(BsonValue? value)
        {
            if (_seen) return;
            _seen = true;
            _value = value ?? BsonNull.Value;
        }

        public BsonValue? Result() => _value ?? BsonNull.Value;
    }

    private sealed class Last : IAccumulator
    {
        private BsonValue? _value;

        public void Add(BsonValue? value) => _value = value ?? BsonNull.Value;

        public BsonValue? Result() => _value ?? BsonNull.Value;
    }

    private sealed class Push : IAccumulator
    {
        private readonly BsonArray _items = [];

        public void Add(BsonValue? value)
        {
            if (value is not null) _items.Add(value);
        }

        public BsonValue? Result() => _items;
    }

    private sealed class AddToSet(Collation? collation) : IAccumulator
    {
        private readonly BsonArray _items = [];
        private readonly HashSet<BsonValue> _seen = new(new BsonValueKeyComparer(collation));

        public void Add(BsonValue? value)
        {
            if (value is not null && _seen.Add(value)) _items.Add(value);
        }

        public BsonValue? Result() => _items;
    }

    private sealed class MergeObjects : IAccumulator
    {
        private readonly BsonDocument _result = [];

        public void Add(BsonValue? value) => Operators.MergeInto(_result, value);

        public BsonValue? Result() => _result;
    }

    private sealed class StdDev(bool sample) : IAccumulator
    {
        private long _count;
        private double _mean;
        private double _m2;

        public void Add(BsonValue? value)
        {
            if (!Values.IsNumber(value)) return;
            var x = Values.ToDouble(value!);
            _count++;
            var delta = x - _mean;
            _mean += delta / _count;
            _m2 += delta * (x - _mean);
        }

        public BsonValue? Result()
        {
            if (_count == 0 || (sample && _count < 2)) return BsonNull.Value;
            return Math.Sqrt(_m2 / (sample ? _count - 1 : _count));
        }
    }
}

/// <summary>Equality by BSON value (1 == 1.0 == 1L; collation-aware strings) with a hash consistent with it.</summary>
internal sealed class BsonValueKeyComparer(Collation? collation) : IEqualityComparer<BsonValue>
{
    public bool Equals(BsonValue? x, BsonValue? y) => Values.Compare(x, y, collation) == 0;

    public int GetHashCode(BsonValue value) => Hash(value);

    private int Hash(BsonValue value)
    {
        switch (value)
        {
            case BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128:
                var d = Values.ToDouble(value);
                return double.IsNaN(d) ? 0 : Math.Floor(d) == d && Math.Abs(d) < 1e18 ? ((long)d).GetHashCode() : d.GetHashCode();
            case BsonString s:
                return collation is null ? s.Value.GetHashCode(StringComparison.Ordinal) : 1;
            case BsonDocument doc:
                var h = 17;
                foreach (var e in doc) h = HashCode.Combine(h, e.Name, Hash(e.Value));
                return h;
            case BsonArray arr:
                var ha = 19;
                foreach (var e in arr) ha = HashCode.Combine(ha, Hash(e));
                return ha;
            case BsonNull or BsonUndefined:
                return 3;
            default:
                return value.GetHashCode();
        }
    }
}
