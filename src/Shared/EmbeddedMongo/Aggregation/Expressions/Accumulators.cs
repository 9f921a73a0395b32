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
        [
            "$sum", "$avg", "$min", "$max", "$first", "$last", "$push", "$addToSet", "$mergeObjects", "$stdDevPop", "$stdDevSamp",
            "$count", "$firstN", "$lastN", "$maxN", "$minN", "$top", "$bottom", "$topN", "$bottomN",
        ];

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
        "$firstN" or "$lastN" or "$maxN" or "$minN" => new TakeN(name, collation),
        "$top" or "$bottom" or "$topN" or "$bottomN" => new TopBottom(name, collation),
        _ => null,
    };

    /// <summary>
    /// A numeric total as MongoDB keeps it: integers exactly (long, widening on overflow), doubles with compensated
    /// (Kahan-Babuska) summation so 0.1 ten times is 1, decimals separately; the result has the widest type seen.
    /// </summary>
    private sealed class Total
    {
        private Numbers.Kind _kind = Numbers.Kind.Int;
        private long _long;
        private bool _longOverflowed;
        private double _double;
        private double _compensation;
        private decimal _decimal;

        public long Count { get; private set; }

        public void Add(BsonValue value)
        {
            Count++;
            _kind = Numbers.Widest(_kind, Numbers.KindOf(value));
            switch (value)
            {
                case BsonInt32 or BsonInt64:
                    var l = value.ToInt64();
                    if (!_longOverflowed)
                    {
                        try
                        {
                            _long = checked(_long + l);
                            return;
                        }
                        catch (OverflowException)
                        {
                            _longOverflowed = true;
                            AddDouble(_long);
                            _long = 0;
                        }
                    }
                    AddDouble(l);
                    return;
                case BsonDouble d:
                    AddDouble(d.Value);
                    return;
                default:
                    _decimal += Values.ToDecimal(value);
                    return;
            }
        }

        private void AddDouble(double x)
        {
            var t = _double + x;
            _compensation += Math.Abs(_double) >= Math.Abs(x) ? (_double - t) + x : (x - t) + _double;
            _double = t;
        }

        private double AsDouble => _double + _compensation + _long;

        public BsonValue Sum()
        {
            if (_kind == Numbers.Kind.Decimal)
                return new BsonDecimal128(new Decimal128(_decimal + (decimal)(_double + _compensation) + _long));
            if (_kind == Numbers.Kind.Double || _longOverflowed) return new BsonDouble(AsDouble);
            if (_kind == Numbers.Kind.Int && _long is >= int.MinValue and <= int.MaxValue) return new BsonInt32((int)_long);
            return new BsonInt64(_long);
        }

        public BsonValue Average()
        {
            if (_kind == Numbers.Kind.Decimal)
                return new BsonDecimal128(new Decimal128((_decimal + (decimal)(_double + _compensation) + _long) / Count));
            return new BsonDouble(_longOverflowed || _kind == Numbers.Kind.Double ? AsDouble / Count : (double)_long / Count);
        }
    }

    private sealed class Sum : IAccumulator
    {
        private readonly Total _total = new();

        public void Add(BsonValue? value)
        {
            if (Values.IsNumber(value)) _total.Add(value!);
        }

        public BsonValue? Result() => _total.Sum();
    }

    private sealed class Avg : IAccumulator
    {
        private readonly Total _total = new();

        public void Add(BsonValue? value)
        {
            if (Values.IsNumber(value)) _total.Add(value!);
        }

        public BsonValue? Result() => _total.Count == 0 ? BsonNull.Value : _total.Average();
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

    private static long CheckedN(string op, BsonValue n)
    {
        if (!Values.IsNumber(n) || !Values.TryGetLong(n, out var value))
            throw MongoError.Location(5787902, $"Value for 'n' must be of integral type, but found {Values.Describe(n)}");
        if (value <= 0) throw MongoError.Location(5787908, $"'n' must be greater than 0, found {value}");
        return value;
    }

    /// <summary>$firstN/$lastN keep nulls; $maxN/$minN ignore null and missing.</summary>
    private sealed class TakeN(string op, Collation? collation) : IAccumulator
    {
        private readonly List<BsonValue> _items = [];
        private long _n = -1;

        public void Add(BsonValue? value)
        {
            var args = value!.AsBsonDocument;
            if (_n < 0) _n = CheckedN(op, args["n"]);
            var v = args["v"];
            if (op is "$maxN" or "$minN")
            {
                if (!Values.IsNullish(v)) _items.Add(v);
                return;
            }
            if (op == "$firstN" && _items.Count >= _n) return;
            _items.Add(v);
            if (op == "$lastN" && _items.Count > _n) _items.RemoveAt(0);
        }

        public BsonValue? Result()
        {
            if (op is "$maxN" or "$minN")
            {
                var sign = op == "$maxN" ? -1 : 1;
                var sorted = _items.OrderBy(v => v, Comparer<BsonValue>.Create((a, b) => sign * Values.Compare(a, b, collation)));
                return new BsonArray(sorted.Take((int)Math.Min(_n, int.MaxValue)));
            }
            return new BsonArray(_items);
        }
    }

    /// <summary>$top/$bottom(N): the output of the first/last documents in sortBy order.</summary>
    private sealed class TopBottom(string op, Collation? collation) : IAccumulator
    {
        private readonly List<(BsonArray Key, BsonValue Output)> _items = [];
        private BsonArray? _directions;
        private long _n = -1;

        public void Add(BsonValue? value)
        {
            var args = value!.AsBsonDocument;
            if (_n < 0) _n = op is "$top" or "$bottom" ? 1 : CheckedN(op, args["n"]);
            _directions ??= args["d"].AsBsonArray;
            _items.Add((args["k"].AsBsonArray, args["v"]));
        }

        public BsonValue? Result()
        {
            if (_items.Count == 0) return op is "$top" or "$bottom" ? BsonNull.Value : new BsonArray();
            var order = Comparer<BsonArray>.Create((a, b) =>
            {
                for (var i = 0; i < a.Count; i++)
                {
                    var c = Values.Compare(a[i], b[i], collation);
                    if (c != 0) return _directions![i].AsInt32 * c;
                }
                return 0;
            });
            var sorted = _items.OrderBy(i => i.Key, order).Select(i => i.Output).ToList();
            var count = (int)Math.Min(_n, sorted.Count);
            var chosen = op is "$top" or "$topN" ? sorted.Take(count) : sorted.Skip(sorted.Count - count);
            return op is "$top" or "$bottom" ? chosen.First() : new BsonArray(chosen);
        }
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

    public int GetHashCode(BsonValue value) =>
        value is BsonNull or BsonUndefined ? 3 : BsonOrder.GetHashCode(value, collation);
}
