using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>
/// MongoDB's BSON comparison order across types: MinKey &lt; Undefined &lt; Null &lt; numbers &lt; strings &lt; objects
/// &lt; arrays &lt; binary &lt; ObjectId &lt; booleans &lt; dates &lt; timestamps &lt; regular expressions &lt; JavaScript &lt; MaxKey.
/// </summary>
internal static class BsonOrder
{
    public static int Compare(BsonValue a, BsonValue b, Collation? collation = null)
    {
        if (ReferenceEquals(a, b)) return 0;
        var ka = a.BsonType;
        var kb = b.BsonType;
        if (ka == kb)
        {
            // The common cases first, without the general dispatch.
            switch (ka)
            {
                case BsonType.String:
                    return CompareStrings(((BsonString)a).Value, ((BsonString)b).Value, collation);
                case BsonType.Int32:
                    return ((BsonInt32)a).Value.CompareTo(((BsonInt32)b).Value);
                case BsonType.Int64:
                    return ((BsonInt64)a).Value.CompareTo(((BsonInt64)b).Value);
                case BsonType.Double:
                    return CompareDoubles(((BsonDouble)a).Value, ((BsonDouble)b).Value);
                case BsonType.ObjectId:
                    return ((BsonObjectId)a).Value.CompareTo(((BsonObjectId)b).Value);
                case BsonType.DateTime:
                    return ((BsonDateTime)a).MillisecondsSinceEpoch.CompareTo(((BsonDateTime)b).MillisecondsSinceEpoch);
            }
        }
        var ta = CanonicalType(ka);
        var tb = CanonicalType(kb);
        if (ta != tb) return ta < tb ? -1 : 1;
        return CompareSameCanonicalType(a, b, collation);
    }

    public static bool Equal(BsonValue a, BsonValue b, Collation? collation = null)
    {
        if (ReferenceEquals(a, b)) return true;
        var ka = a.BsonType;
        var kb = b.BsonType;
        if (ka == kb && ka == BsonType.String && collation is null)
            return string.Equals(((BsonString)a).Value, ((BsonString)b).Value, StringComparison.Ordinal);
        if (CanonicalType(ka) != CanonicalType(kb)) return false;
        return CompareSameCanonicalType(a, b, collation) == 0;
    }

    /// <summary>The rank of a value's type in the cross-type order; numbers share one rank, as do strings and symbols.</summary>
    public static int CanonicalType(BsonValue value) => CanonicalType(value.BsonType);

    public static int CanonicalType(BsonType type) => type switch
    {
        BsonType.MinKey => -1,
        BsonType.Undefined => 0,
        BsonType.Null => 5,
        BsonType.Double or BsonType.Int32 or BsonType.Int64 or BsonType.Decimal128 => 10,
        BsonType.String or BsonType.Symbol => 15,
        BsonType.Document => 20,
        BsonType.Array => 25,
        BsonType.Binary => 30,
        BsonType.ObjectId => 35,
        BsonType.Boolean => 40,
        BsonType.DateTime => 45,
        BsonType.Timestamp => 47,
        BsonType.RegularExpression => 50,
        BsonType.JavaScript => 60,
        BsonType.JavaScriptWithScope => 65,
        BsonType.MaxKey => 127,
        _ => 55,
    };

    public static bool IsNumber(BsonValue value) =>
        value.BsonType is BsonType.Double or BsonType.Int32 or BsonType.Int64 or BsonType.Decimal128;

    /// <summary>Compares two values already known to share a canonical type.</summary>
    internal static int CompareSameCanonicalType(BsonValue a, BsonValue b, Collation? collation)
    {
        switch (a.BsonType)
        {
            case BsonType.MinKey:
            case BsonType.MaxKey:
            case BsonType.Undefined:
            case BsonType.Null:
                return 0;
            case BsonType.Double:
            case BsonType.Int32:
            case BsonType.Int64:
            case BsonType.Decimal128:
                return CompareNumbers(a, b);
            case BsonType.String:
            case BsonType.Symbol:
                return CompareStrings(StringOf(a), StringOf(b), collation);
            case BsonType.Document:
                return CompareDocuments((BsonDocument)a, (BsonDocument)b, collation);
            case BsonType.Array:
                return CompareArrays((BsonArray)a, (BsonArray)b, collation);
            case BsonType.Binary:
                return CompareBinary((BsonBinaryData)a, (BsonBinaryData)b);
            case BsonType.ObjectId:
                return ((BsonObjectId)a).Value.CompareTo(((BsonObjectId)b).Value);
            case BsonType.Boolean:
                return ((BsonBoolean)a).Value.CompareTo(((BsonBoolean)b).Value);
            case BsonType.DateTime:
                return ((BsonDateTime)a).MillisecondsSinceEpoch.CompareTo(((BsonDateTime)b).MillisecondsSinceEpoch);
            case BsonType.Timestamp:
                return ((ulong)((BsonTimestamp)a).Value).CompareTo((ulong)((BsonTimestamp)b).Value);
            case BsonType.RegularExpression:
            {
                var ra = (BsonRegularExpression)a;
                var rb = (BsonRegularExpression)b;
                var c = CompareStrings(ra.Pattern, rb.Pattern, null);
                return c != 0 ? c : CompareStrings(ra.Options, rb.Options, null);
            }
            case BsonType.JavaScript:
                return CompareStrings(((BsonJavaScript)a).Code, ((BsonJavaScript)b).Code, null);
            case BsonType.JavaScriptWithScope:
            {
                var ja = (BsonJavaScriptWithScope)a;
                var jb = (BsonJavaScriptWithScope)b;
                var c = CompareStrings(ja.Code, jb.Code, null);
                return c != 0 ? c : CompareDocuments(ja.Scope, jb.Scope, null);
            }
            default:
                return a.CompareTo(b);
        }
    }

    private static string StringOf(BsonValue v) => v is BsonSymbol s ? s.Name : ((BsonString)v).Value;

    /// <summary>Binary string order: UTF-8 byte order (UTF-16 order with surrogates moved above U+E000..U+FFFF).</summary>
    public static int CompareStrings(string a, string b, Collation? collation)
    {
        if (collation is not null) return collation.Compare(a, b);
        var sa = a.AsSpan();
        var sb = b.AsSpan();
        var common = sa.CommonPrefixLength(sb);
        if (common == sa.Length || common == sb.Length) return sa.Length.CompareTo(sb.Length);
        return Utf8Rank(sa[common]).CompareTo(Utf8Rank(sb[common]));
    }

    private static int Utf8Rank(char c) => c >= 0xD800 && c <= 0xDFFF ? c + 0x2000 : c >= 0xE000 ? c - 0x800 : c;

    private static int CompareDocuments(BsonDocument a, BsonDocument b, Collation? collation)
    {
        var n = Math.Min(a.ElementCount, b.ElementCount);
        for (var i = 0; i < n; i++)
        {
            var ea = a.GetElement(i);
            var eb = b.GetElement(i);
            var ta = CanonicalType(ea.Value);
            var tb = CanonicalType(eb.Value);
            if (ta != tb) return ta < tb ? -1 : 1;
            var c = CompareStrings(ea.Name, eb.Name, null);
            if (c != 0) return c;
            c = CompareSameCanonicalType(ea.Value, eb.Value, collation);
            if (c != 0) return c;
        }
        return a.ElementCount.CompareTo(b.ElementCount);
    }

    private static int CompareArrays(BsonArray a, BsonArray b, Collation? collation)
    {
        var n = Math.Min(a.Count, b.Count);
        for (var i = 0; i < n; i++)
        {
            var c = Compare(a[i], b[i], collation);
            if (c != 0) return c;
        }
        return a.Count.CompareTo(b.Count);
    }

    private static int CompareBinary(BsonBinaryData a, BsonBinaryData b)
    {
        var c = a.Bytes.Length.CompareTo(b.Bytes.Length);
        if (c != 0) return c;
        c = ((byte)a.SubType).CompareTo((byte)b.SubType);
        return c != 0 ? c : a.Bytes.AsSpan().SequenceCompareTo(b.Bytes);
    }

    /// <summary>Numeric comparison across int32/int64/double/decimal128; NaN is equal to NaN and below every other number.</summary>
    public static int CompareNumbers(BsonValue a, BsonValue b)
    {
        var ka = a.BsonType;
        var kb = b.BsonType;
        if (ka is BsonType.Int32 or BsonType.Int64 && kb is BsonType.Int32 or BsonType.Int64)
            return a.ToInt64().CompareTo(b.ToInt64());
        if (ka == BsonType.Decimal128 || kb == BsonType.Decimal128) return CompareDecimal(a, b);
        if (ka == BsonType.Double && kb == BsonType.Double) return CompareDoubles(a.AsDouble, b.AsDouble);
        // One double, one integer: compare without losing the integer's precision.
        return ka == BsonType.Double
            ? CompareDoubleToLong(a.AsDouble, b.ToInt64())
            : -CompareDoubleToLong(b.AsDouble, a.ToInt64());
    }

    public static int CompareDoubles(double a, double b)
    {
        if (a < b) return -1;
        if (a > b) return 1;
        if (a == b) return 0;
        var na = double.IsNaN(a);
        var nb = double.IsNaN(b);
        return na == nb ? 0 : na ? -1 : 1;
    }

    private static int CompareDoubleToLong(double d, long l)
    {
        if (double.IsNaN(d)) return -1;
        // 2^63 as a double; every long is strictly below it and at or above -2^63.
        if (d >= 9223372036854775808.0) return 1;
        if (d < -9223372036854775808.0) return -1;
        var truncated = Math.Truncate(d);
        var asLong = (long)truncated;
        if (asLong != l) return asLong < l ? -1 : 1;
        var fraction = d - truncated;
        return fraction > 0 ? 1 : fraction < 0 ? -1 : 0;
    }

    /// <summary>
    /// A comparison involving a decimal, exact like MongoDB's (double 0.1 is not decimal 0.1): nearest doubles decide
    /// when they differ, exact rational arithmetic when they tie.
    /// </summary>
    private static int CompareDecimal(BsonValue a, BsonValue b)
    {
        var nanA = IsNaN(a);
        var nanB = IsNaN(b);
        if (nanA || nanB) return nanA == nanB ? 0 : nanA ? -1 : 1;
        var infA = InfinitySign(a);
        var infB = InfinitySign(b);
        if (infA != 0 || infB != 0) return infA.CompareTo(infB);
        var da = ToDouble(a);
        var db = ToDouble(b);
        if (da != db) return da < db ? -1 : 1;
        var (na, tenA, twoA) = Exact(a);
        var (nb, tenB, twoB) = Exact(b);
        var ten = Math.Min(tenA, tenB);
        var two = Math.Min(twoA, twoB);
        var x = na * System.Numerics.BigInteger.Pow(10, tenA - ten) << (twoA - two);
        var y = nb * System.Numerics.BigInteger.Pow(10, tenB - ten) << (twoB - two);
        return x.CompareTo(y);
    }

    private static bool IsNaN(BsonValue v) => v.BsonType switch
    {
        BsonType.Double => double.IsNaN(v.AsDouble),
        BsonType.Decimal128 => Decimal128.IsNaN(v.AsDecimal128),
        _ => false,
    };

    private static int InfinitySign(BsonValue v) => v.BsonType switch
    {
        BsonType.Double => double.IsInfinity(v.AsDouble) ? Math.Sign(v.AsDouble) : 0,
        BsonType.Decimal128 => Decimal128.IsPositiveInfinity(v.AsDecimal128) ? 1 : Decimal128.IsNegativeInfinity(v.AsDecimal128) ? -1 : 0,
        _ => 0,
    };

    private static double ToDouble(BsonValue v) => v.BsonType switch
    {
        BsonType.Double => v.AsDouble,
        BsonType.Decimal128 => ToDoubleLossy(v.AsDecimal128),
        _ => v.ToInt64(),
    };

    /// <summary>A finite number as n * 10^ten * 2^two, exactly.</summary>
    private static (System.Numerics.BigInteger N, int Ten, int Two) Exact(BsonValue v)
    {
        switch (v.BsonType)
        {
            case BsonType.Double:
            {
                var bits = BitConverter.DoubleToInt64Bits(v.AsDouble);
                var exponent = (int)((bits >> 52) & 0x7FF);
                var fraction = bits & ((1L << 52) - 1);
                var mantissa = exponent == 0 ? fraction : fraction | (1L << 52);
                var n = new System.Numerics.BigInteger(mantissa);
                return (bits < 0 ? -n : n, 0, exponent == 0 ? -1074 : exponent - 1075);
            }
            case BsonType.Decimal128:
            {
                // IEEE 754-2008 BID encoding: sign, 14-bit biased exponent, 113-bit coefficient.
                var d = v.AsDecimal128;
                var high = d.GetIEEEHighBits();
                var low = d.GetIEEELowBits();
                var negative = (high >> 63) != 0;
                int exponent;
                System.Numerics.BigInteger coefficient;
                if (((high >> 61) & 3) == 3)
                {
                    // The second form only encodes coefficients above 10^34, which are non-canonical: zero.
                    exponent = (int)((high >> 47) & 0x3FFF);
                    coefficient = System.Numerics.BigInteger.Zero;
                }
                else
                {
                    exponent = (int)((high >> 49) & 0x3FFF);
                    coefficient = (new System.Numerics.BigInteger(high & 0x1FFFFFFFFFFFFUL) << 64) + low;
                }
                return (negative ? -coefficient : coefficient, exponent - 6176, 0);
            }
            default:
                return (new System.Numerics.BigInteger(v.ToInt64()), 0, 0);
        }
    }

    private static double ToDoubleLossy(Decimal128 d)
    {
        if (Decimal128.IsPositiveInfinity(d)) return double.PositiveInfinity;
        if (Decimal128.IsNegativeInfinity(d)) return double.NegativeInfinity;
        return double.Parse(d.ToString(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A hash consistent with <see cref="Equal"/> (numbers of equal value hash alike; strings by collation key).</summary>
    public static int GetHashCode(BsonValue value, Collation? collation = null)
    {
        switch (value.BsonType)
        {
            case BsonType.Int32:
            case BsonType.Int64:
            case BsonType.Double:
            case BsonType.Decimal128:
                return NumberHash(value);
            case BsonType.String:
            case BsonType.Symbol:
                var s = StringOf(value);
                return collation?.GetHashCode(s) ?? string.GetHashCode(s.AsSpan());
            case BsonType.Document:
            {
                var h = new HashCode();
                foreach (var e in (BsonDocument)value)
                {
                    h.Add(e.Name);
                    h.Add(GetHashCode(e.Value, collation));
                }
                return h.ToHashCode();
            }
            case BsonType.Array:
            {
                var h = new HashCode();
                foreach (var e in (BsonArray)value) h.Add(GetHashCode(e, collation));
                return h.ToHashCode();
            }
            case BsonType.Null:
            case BsonType.Undefined:
            case BsonType.MinKey:
            case BsonType.MaxKey:
                return CanonicalType(value);
            default:
                return value.GetHashCode();
        }
    }

    private static int NumberHash(BsonValue value)
    {
        double d;
        if (value.BsonType == BsonType.Decimal128)
        {
            var dec = value.AsDecimal128;
            if (Decimal128.IsNaN(dec)) return double.NaN.GetHashCode();
            d = ToDoubleLossy(dec);
        }
        else
        {
            d = value.BsonType == BsonType.Double ? value.AsDouble : value.ToInt64();
        }
        // Values equal as numbers hash alike; nearby large longs may share a hash, which is allowed.
        return d == 0 ? 0 : d.GetHashCode();
    }

    /// <summary>Equality comparer following <see cref="Equal"/>, for sets and dictionaries (distinct, $group, $in).</summary>
    public sealed class EqualityComparer(Collation? collation) : IEqualityComparer<BsonValue>, IComparer<BsonValue>
    {
        public static readonly EqualityComparer Binary = new(null);

        public bool Equals(BsonValue? x, BsonValue? y) =>
            x is null || y is null ? ReferenceEquals(x, y) : Equal(x, y, collation);

        public int GetHashCode(BsonValue obj) => BsonOrder.GetHashCode(obj, collation);

        public int Compare(BsonValue? x, BsonValue? y) =>
            x is null || y is null ? (x is null ? (y is null ? 0 : -1) : 1) : BsonOrder.Compare(x, y, collation);
    }
}
