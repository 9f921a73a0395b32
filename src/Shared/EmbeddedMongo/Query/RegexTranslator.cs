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
            regex = new Regex(TranslatePattern(pattern), parsed, TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException e)
        {
            throw new MongoError(51091, "Location51091", $"Regular expression is invalid: {e.Message}");
        }
        if (Cache.Count < MaxCached) Cache.TryAdd((pattern, options), regex);
        return regex;
    }

    private static readonly (string Posix, string Net)[] PosixClasses =
    [
        ("[:alpha:]", "a-zA-Z"), ("[:digit:]", "0-9"), ("[:alnum:]", "a-zA-Z0-9"), ("[:upper:]", "A-Z"),
        ("[:lower:]", "a-z"), ("[:space:]", "\\s"), ("[:blank:]", " \\t"), ("[:xdigit:]", "0-9A-Fa-f"),
        ("[:word:]", "\\w"), ("[:punct:]", "!-/:-@\\[-`{-~"), ("[:cntrl:]", "\\x00-\\x1f\\x7f"),
        ("[:print:]", "\\x20-\\x7e"), ("[:graph:]", "\\x21-\\x7e"),
    ];

    /// <summary>The PCRE constructs .NET lacks: POSIX bracket classes and \Q...\E quoting.</summary>
    private static string TranslatePattern(string pattern)
    {
        if (pattern.Contains("[:", StringComparison.Ordinal))
        {
            foreach (var (posix, net) in PosixClasses) pattern = pattern.Replace(posix, net, StringComparison.Ordinal);
        }
        var quote = pattern.IndexOf("\\Q", StringComparison.Ordinal);
        while (quote >= 0 && (quote == 0 || pattern[quote - 1] != '\\'))
        {
            var end = pattern.IndexOf("\\E", quote + 2, StringComparison.Ordinal);
            var literal = end < 0 ? pattern[(quote + 2)..] : pattern[(quote + 2)..end];
            var rest = end < 0 ? "" : pattern[(end + 2)..];
            pattern = pattern[..quote] + Regex.Escape(literal) + rest;
            quote = pattern.IndexOf("\\Q", quote + literal.Length, StringComparison.Ordinal);
        }
        return pattern;
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
