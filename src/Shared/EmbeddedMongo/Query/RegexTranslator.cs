using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>Turns a MongoDB (PCRE) pattern and its option letters into a cached .NET <see cref="Regex"/>.</summary>
internal static class RegexTranslator
{
    private const int MaxCached = 2_000;
    private static readonly ConcurrentDictionary<(string Pattern, string Options), Regex> Cache = new();

    /// <summary>Throws BadValue for an unknown option letter or a pattern .NET cannot parse.</summary>
    public static Regex Get(string pattern, string options)
    {
        if (Cache.TryGetValue((pattern, options), out var cached)) return cached;
        var parsed = ParseOptions(options) | RegexOptions.CultureInvariant;
        Regex regex;
        try
        {
            regex = new Regex(pattern, parsed, TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException e)
        {
            throw new MongoError(51091, "Location51091", $"Regular expression is invalid: {e.Message}");
        }
        if (Cache.Count < MaxCached) Cache.TryAdd((pattern, options), regex);
        return regex;
    }

    public static RegexOptions ParseOptions(string options)
    {
        var result = RegexOptions.None;
        foreach (var c in options)
        {
            result |= c switch
            {
                'i' => RegexOptions.IgnoreCase,
                'm' => RegexOptions.Multiline,
                's' => RegexOptions.Singleline,
                'x' => RegexOptions.IgnorePatternWhitespace,
                'u' => RegexOptions.None,
                _ => throw new MongoError(51108, "Location51108", $"invalid flag in regex options: {c}"),
            };
        }
        return result;
    }
}
