using System.Globalization;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>
/// A MongoDB collation mapped onto .NET's ICU-backed <see cref="CompareInfo"/>: strength 1 ignores case and accents,
/// 2 ignores case, 3 and above compare everything; <c>caseFirst: "upper"</c> puts upper case first where case counts.
/// <c>maxVariable</c> and <c>backwards</c> are accepted and reported but not applied.
/// </summary>
internal sealed class Collation
{
    private static readonly HashSet<string> KnownFields =
    [
        "locale", "caseLevel", "caseFirst", "strength", "numericOrdering", "alternate", "maxVariable",
        "normalization", "backwards", "version",
    ];

    private readonly CompareInfo _compareInfo;
    private readonly CompareOptions _options;
    private readonly bool _upperFirst;

    private Collation(string locale, CompareInfo compareInfo, CompareOptions options, bool upperFirst, BsonDocument spec)
    {
        Locale = locale;
        _compareInfo = compareInfo;
        _options = options;
        _upperFirst = upperFirst && (options & CompareOptions.IgnoreCase) == 0;
        Spec = spec;
    }

    public string Locale { get; }

    /// <summary>The full collation document as MongoDB reports it (every option filled in).</summary>
    public BsonDocument Spec { get; }

    /// <summary>Parses a command's or index's collation; null (or locale "simple") means binary comparison.</summary>
    public static Collation? Parse(BsonDocument? spec)
    {
        if (spec is null) return null;
        foreach (var e in spec)
        {
            if (!KnownFields.Contains(e.Name))
                throw new MongoError(40415, "Location40415", $"BSON field 'collation.{e.Name}' is an unknown field.");
        }
        if (!spec.TryGetValue("locale", out var localeValue))
            throw new MongoError(40414, "Location40414", "BSON field 'collation.locale' is missing but a required field");
        if (localeValue is not BsonString { Value: var locale })
            throw MongoError.TypeMismatch("BSON field 'collation.locale' is the wrong type, expected type 'string'");
        if (locale == "simple")
        {
            if (spec.ElementCount > 1 && !(spec.ElementCount == 2 && spec.Contains("version")))
                throw MongoError.BadValue("If \"locale\" is set to \"simple\", then all other collation fields must be empty");
            return null;
        }

        var strength = GetInt(spec, "strength", 3);
        if (strength is < 1 or > 5) throw MongoError.BadValue("unable to parse collation :: caused by :: strength must be an integer 1 through 5");
        var caseLevel = GetBool(spec, "caseLevel", false);
        var numericOrdering = GetBool(spec, "numericOrdering", false);
        var backwards = GetBool(spec, "backwards", false);
        var normalization = GetBool(spec, "normalization", false);
        var caseFirst = GetString(spec, "caseFirst", "off", "upper", "lower", "off");
        var alternate = GetString(spec, "alternate", "non-ignorable", "non-ignorable", "shifted");
        var maxVariable = GetString(spec, "maxVariable", "punct", "punct", "space");

        var compareInfo = ResolveCompareInfo(locale);
        var options = strength switch
        {
            1 => caseLevel ? CompareOptions.IgnoreNonSpace : CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace,
            2 => caseLevel ? CompareOptions.None : CompareOptions.IgnoreCase,
            _ => CompareOptions.None,
        };
        if (numericOrdering) options |= CompareOptions.NumericOrdering;
        if (alternate == "shifted") options |= CompareOptions.IgnoreSymbols;

        var full = new BsonDocument
        {
            { "locale", locale },
            { "caseLevel", caseLevel },
            { "caseFirst", caseFirst },
            { "strength", strength },
            { "numericOrdering", numericOrdering },
            { "alternate", alternate },
            { "maxVariable", maxVariable },
            { "normalization", normalization },
            { "backwards", backwards },
            { "version", "57.1" },
        };
        return new Collation(locale, compareInfo, options, caseFirst == "upper", full);
    }

    public int Compare(string a, string b)
    {
        if (!_upperFirst) return _compareInfo.Compare(a, b, _options);
        var c = _compareInfo.Compare(a, b, _options | CompareOptions.IgnoreCase);
        // ICU orders lower case first at the tertiary level; swapping case on both sides flips that tie-break.
        return c != 0 ? c : _compareInfo.Compare(SwapCase(a), SwapCase(b), _options);
    }

    public bool Equals(string a, string b) => _compareInfo.Compare(a, b, _options) == 0;

    private static string SwapCase(string s) =>
        string.Create(s.Length, s, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var ch = source[i];
                span[i] = char.IsUpper(ch) ? char.ToLowerInvariant(ch) : char.IsLower(ch) ? char.ToUpperInvariant(ch) : ch;
            }
        });

    /// <summary>A hash equal for every two strings this collation considers equal.</summary>
    public int GetHashCode(string s) => _compareInfo.GetHashCode(s, _options);

    /// <summary>A binary key whose byte order is this collation's order (what an index would store).</summary>
    public byte[] GetSortKey(string s) => _compareInfo.GetSortKey(s, _options).KeyData;

    private static CompareInfo ResolveCompareInfo(string locale)
    {
        if (locale == "root" || locale.Length == 0) return CultureInfo.InvariantCulture.CompareInfo;
        // MongoDB spells locales ICU-style ("en_US", "de@collation=phonebook"); .NET wants BCP-47 ("en-US").
        var name = locale;
        var at = name.IndexOf('@');
        if (at >= 0) name = name[..at];
        name = name.Replace('_', '-');
        try
        {
            var culture = CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            return culture.CompareInfo;
        }
        catch (CultureNotFoundException)
        {
            throw MongoError.BadValue($"Field 'locale' is invalid in: {{ locale: \"{locale}\" }}");
        }
    }

    private static int GetInt(BsonDocument spec, string name, int fallback)
    {
        if (!spec.TryGetValue(name, out var v)) return fallback;
        if (!BsonOrder.IsNumber(v))
            throw MongoError.TypeMismatch($"BSON field 'collation.{name}' is the wrong type '{v.BsonType}', expected types '[long, int, decimal, double]'");
        var d = v.ToDouble();
        if (d != Math.Floor(d)) throw MongoError.BadValue($"collation.{name} must be an integer");
        return (int)Math.Clamp(d, int.MinValue, int.MaxValue);
    }

    private static bool GetBool(BsonDocument spec, string name, bool fallback)
    {
        if (!spec.TryGetValue(name, out var v)) return fallback;
        if (v is not BsonBoolean b)
            throw MongoError.TypeMismatch($"BSON field 'collation.{name}' is the wrong type '{v.BsonType}', expected type 'bool'");
        return b.Value;
    }

    private static string GetString(BsonDocument spec, string name, string fallback, params string[] allowed)
    {
        if (!spec.TryGetValue(name, out var v)) return fallback;
        if (v is not BsonString { Value: var s })
            throw MongoError.TypeMismatch($"BSON field 'collation.{name}' is the wrong type '{v.BsonType}', expected type 'string'");
        if (Array.IndexOf(allowed, s) < 0) throw MongoError.BadValue($"unable to parse collation :: caused by :: {name} must be one of {string.Join(", ", allowed)}, got '{s}'");
        return s;
    }
}
