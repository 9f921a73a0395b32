using System.Globalization;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>$convert's conversion table; a failed conversion throws code 241 ConversionFailure.</summary>
internal static class Conversions
{
    private static readonly Dictionary<int, string> TypeCodes = new()
    {
        [1] = "double", [2] = "string", [7] = "objectId", [8] = "bool", [9] = "date", [16] = "int", [18] = "long", [19] = "decimal",
    };

    public static string TargetType(BsonValue to)
    {
        if (to is BsonString s)
        {
            return TypeCodes.ContainsValue(s.Value)
                ? s.Value
                : throw MongoError.BadValue($"Unknown type name: {s.Value}");
        }
        if (Values.TryGetInt(to, out var code))
        {
            return TypeCodes.TryGetValue(code, out var name)
                ? name
                : throw MongoError.BadValue($"Invalid numeric type alias: {code}");
        }
        throw MongoError.Location(4341102, $"$convert's 'to' argument must be a string or number, but is {Values.TypeName(to)}");
    }

    public static string NumberToString(BsonValue v) => v switch
    {
        BsonInt32 i => i.Value.ToString(CultureInfo.InvariantCulture),
        BsonInt64 l => l.Value.ToString(CultureInfo.InvariantCulture),
        BsonDecimal128 m => m.Value.ToString(),
        BsonDouble d => DoubleToString(d.Value),
        _ => v.ToString() ?? "",
    };

    private static string DoubleToString(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "Infinity";
        if (double.IsNegativeInfinity(d)) return "-Infinity";
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOf('E');
        if (e < 0) return r;
        var exponent = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        return r[..e] + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
    }

    private static MongoError Unsupported(BsonValue v, string to) =>
        new(241, "ConversionFailure", $"Unsupported conversion from {Values.TypeName(v)} to {to} in $convert with no onError value");

    private static MongoError ParseFailure(string text, string reason) =>
        new(241, "ConversionFailure", $"Failed to parse number '{text}' in $convert with no onError value: {reason}");

    public static BsonValue Convert(BsonValue v, string to) => to switch
    {
        "double" => ToDouble(v),
        "string" => ToStringValue(v),
        "objectId" => ToObjectId(v),
        "bool" => ToBool(v),
        "date" => ToDate(v),
        "int" => ToInt(v),
        "long" => ToLong(v),
        _ => ToDecimal(v),
    };

    private static BsonValue ToDouble(BsonValue v) => v switch
    {
        BsonDouble => v,
        BsonInt32 or BsonInt64 => Values.ToDouble(v),
        BsonDecimal128 m => CheckedDecimalToDouble(m),
        BsonBoolean b => b.Value ? 1.0 : 0.0,
        BsonDateTime d => (double)d.MillisecondsSinceEpoch,
        BsonString s => ParseDouble(s.Value),
        _ => throw Unsupported(v, "double"),
    };

    private static BsonValue CheckedDecimalToDouble(BsonDecimal128 m)
    {
        var d = (double)m.Value;
        return double.IsInfinity(d) && !Decimal128.IsInfinity(m.Value)
            ? throw new MongoError(241, "ConversionFailure", $"Conversion would overflow target type in $convert with no onError value: {m.Value}")
            : d;
    }

    private static double ParseDouble(string s)
    {
        if (s is "NaN" or "nan") return double.NaN;
        if (s is "Infinity" or "inf" or "infinity") return double.PositiveInfinity;
        if (s is "-Infinity" or "-inf" or "-infinity") return double.NegativeInfinity;
        return s.Length > 0 && !char.IsWhiteSpace(s[0]) && !char.IsWhiteSpace(s[^1]) &&
               double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw ParseFailure(s, "Did not consume whole string.");
    }

    private static BsonValue ToStringValue(BsonValue v) => v switch
    {
        BsonString => v,
        BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128 => NumberToString(v),
        BsonBoolean b => b.Value ? "true" : "false",
        BsonObjectId o => o.Value.ToString(),
        BsonDateTime d => Dates.Format(d.MillisecondsSinceEpoch, Dates.DefaultFormat, TimeZoneInfo.Utc),
        BsonSymbol sym => sym.Name,
        _ => throw Unsupported(v, "string"),
    };

    private static BsonValue ToObjectId(BsonValue v) => v switch
    {
        BsonObjectId => v,
        BsonString s => ObjectId.TryParse(s.Value, out var oid)
            ? new BsonObjectId(oid)
            : throw new MongoError(241, "ConversionFailure",
                $"Failed to parse objectId '{s.Value}' in $convert with no onError value: Invalid string length for parsing to OID, expected 24 but found {s.Value.Length}"),
        _ => throw Unsupported(v, "objectId"),
    };

    private static BsonValue ToBool(BsonValue v) => v switch
    {
        BsonBoolean => v,
        BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128 => Values.IsTrue(v),
        _ => true,
    };

    private static BsonValue ToDate(BsonValue v) => v switch
    {
        BsonDateTime => v,
        BsonInt64 l => new BsonDateTime(l.Value),
        BsonDouble d when double.IsFinite(d.Value) => new BsonDateTime((long)d.Value),
        BsonDecimal128 m => new BsonDateTime((long)Values.ToDecimal(m)),
        BsonObjectId o => new BsonDateTime(o.Value.Timestamp * 1000L),
        BsonTimestamp ts => new BsonDateTime(ts.Timestamp * 1000L),
        BsonString s => Dates.Parse(s.Value, null, TimeZoneInfo.Utc) is { } ms
            ? new BsonDateTime(ms)
            : throw new MongoError(241, "ConversionFailure", $"Error parsing date string '{s.Value}'"),
        _ => throw Unsupported(v, "date"),
    };

    private static BsonValue ToInt(BsonValue v)
    {
        switch (v)
        {
            case BsonInt32: return v;
            case BsonBoolean b: return b.Value ? 1 : 0;
            case BsonString s:
                return int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
                    ? i
                    : throw ParseFailure(s.Value, long.TryParse(s.Value, out _) ? "Overflow" : "Did not consume whole string.");
            case BsonInt64 or BsonDouble or BsonDecimal128:
                var d = Truncated(v);
                return d is >= int.MinValue and <= int.MaxValue
                    ? (int)d
                    : throw new MongoError(241, "ConversionFailure", $"Conversion would overflow target type in $convert with no onError value: {Values.Describe(v)}");
            default:
                throw Unsupported(v, "int");
        }
    }

    private static BsonValue ToLong(BsonValue v)
    {
        switch (v)
        {
            case BsonInt64: return v;
            case BsonInt32 i: return (long)i.Value;
            case BsonBoolean b: return b.Value ? 1L : 0L;
            case BsonDateTime dt: return dt.MillisecondsSinceEpoch;
            case BsonString s:
                return long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                    ? l
                    : throw ParseFailure(s.Value, "Did not consume whole string.");
            case BsonDouble or BsonDecimal128:
                var d = Truncated(v);
                return d >= long.MinValue && d <= long.MaxValue
                    ? (long)d
                    : throw new MongoError(241, "ConversionFailure", $"Conversion would overflow target type in $convert with no onError value: {Values.Describe(v)}");
            default:
                throw Unsupported(v, "long");
        }
    }

    private static decimal Truncated(BsonValue v)
    {
        if (v is BsonDouble d)
        {
            if (double.IsNaN(d.Value)) throw new MongoError(241, "ConversionFailure", "Attempt to convert NaN value to integer type in $convert with no onError value");
            if (double.IsInfinity(d.Value) || Math.Abs(d.Value) > 7.9e28)
                throw new MongoError(241, "ConversionFailure", $"Attempt to convert infinity value to integer type in $convert with no onError value");
            return decimal.Truncate((decimal)d.Value);
        }
        return decimal.Truncate(Values.ToDecimal(v));
    }

    private static BsonValue ToDecimal(BsonValue v) => v switch
    {
        BsonDecimal128 => v,
        BsonInt32 or BsonInt64 => new BsonDecimal128(new Decimal128(Values.ToDecimal(v))),
        BsonDouble d => new BsonDecimal128(new Decimal128(d.Value)),
        BsonBoolean b => new BsonDecimal128(b.Value ? Decimal128.One : Decimal128.Zero),
        BsonDateTime dt => new BsonDecimal128(new Decimal128(dt.MillisecondsSinceEpoch)),
        BsonString s => Decimal128.TryParse(s.Value, out var m) ? new BsonDecimal128(m) : throw ParseFailure(s.Value, "Failed to parse string to decimal"),
        _ => throw Unsupported(v, "decimal"),
    };
}
