using System.Text;
using System.Text.RegularExpressions;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

internal static partial class Operators
{
    private static void RegisterStrings(Dictionary<string, Func<BsonValue, ParseScope, Expr>> t)
    {
        t["$concat"] = (o, p) =>
        {
            var a = Args("$concat", o, p, 0);
            return s =>
            {
                var sb = new StringBuilder();
                foreach (var arg in a)
                {
                    var v = arg(s);
                    if (Values.IsNullish(v)) return BsonNull.Value;
                    if (v is not BsonString str) throw MongoError.Location(16702, $"$concat only supports strings, not {Values.TypeName(v)}");
                    sb.Append(str.Value);
                }
                return sb.ToString();
            };
        };
        t["$substr"] = (o, p) => SubstrBytes("$substr", Args("$substr", o, p, 3, 3));
        t["$substrBytes"] = (o, p) => SubstrBytes("$substrBytes", Args("$substrBytes", o, p, 3, 3));
        t["$substrCP"] = (o, p) => SubstrCP(Args("$substrCP", o, p, 3, 3));
        t["$toLower"] = (o, p) =>
        {
            var a = One("$toLower", o, p);
            return s => AsciiCase(CoerceToString("$toLower", a(s)), lower: true);
        };
        t["$toUpper"] = (o, p) =>
        {
            var a = One("$toUpper", o, p);
            return s => AsciiCase(CoerceToString("$toUpper", a(s)), lower: false);
        };
        t["$trim"] = (o, p) => Trim("$trim", o, p, true, true);
        t["$ltrim"] = (o, p) => Trim("$ltrim", o, p, true, false);
        t["$rtrim"] = (o, p) => Trim("$rtrim", o, p, false, true);
        t["$split"] = (o, p) =>
        {
            var a = Args("$split", o, p, 2, 2);
            return s =>
            {
                var (str, del) = (a[0](s), a[1](s));
                if (Values.IsNullish(str) || Values.IsNullish(del)) return BsonNull.Value;
                if (str is not BsonString input) throw MongoError.Location(40085, $"$split requires an expression that evaluates to a string as a first argument, found: {Values.TypeName(str)}");
                if (del is not BsonString delimiter) throw MongoError.Location(40086, $"$split requires an expression that evaluates to a string as a second argument, found: {Values.TypeName(del)}");
                if (delimiter.Value.Length == 0) throw MongoError.Location(40087, "$split requires a non-empty separator");
                return new BsonArray(input.Value.Split(delimiter.Value, StringSplitOptions.None));
            };
        };
        t["$strLenBytes"] = (o, p) =>
        {
            var a = One("$strLenBytes", o, p);
            return s => a(s) is var v && v is BsonString str
                ? Encoding.UTF8.GetByteCount(str.Value)
                : throw MongoError.Location(34473, $"$strLenBytes requires a string argument, found: {Values.TypeName(v)}");
        };
        t["$strLenCP"] = (o, p) =>
        {
            var a = One("$strLenCP", o, p);
            return s => a(s) is var v && v is BsonString str
                ? str.Value.EnumerateRunes().Count()
                : throw MongoError.Location(34471, $"$strLenCP requires a string argument, found: {Values.TypeName(v)}");
        };
        t["$indexOfBytes"] = (o, p) => IndexOfString("$indexOfBytes", Args("$indexOfBytes", o, p, 2, 4), bytes: true);
        t["$indexOfCP"] = (o, p) => IndexOfString("$indexOfCP", Args("$indexOfCP", o, p, 2, 4), bytes: false);
        t["$strcasecmp"] = (o, p) =>
        {
            var a = Args("$strcasecmp", o, p, 2, 2);
            return s =>
            {
                var x = AsciiCase(CoerceToString("$strcasecmp", a[0](s)), lower: false);
                var y = AsciiCase(CoerceToString("$strcasecmp", a[1](s)), lower: false);
                return Math.Sign(string.CompareOrdinal(x, y));
            };
        };
        t["$regexMatch"] = (o, p) => RegexOp("$regexMatch", o, p, (regex, input) => regex.IsMatch(input), false);
        t["$regexFind"] = (o, p) => RegexOp("$regexFind", o, p, (regex, input) =>
        {
            var m = regex.Match(input);
            return m.Success ? MatchDocument(m, input) : BsonNull.Value;
        }, BsonNull.Value);
        t["$regexFindAll"] = (o, p) => RegexOp("$regexFindAll", o, p, (regex, input) =>
            new BsonArray(regex.Matches(input).Select(m => MatchDocument(m, input))), new BsonArray());
        t["$replaceOne"] = (o, p) => Replace("$replaceOne", o, p, all: false);
        t["$replaceAll"] = (o, p) => Replace("$replaceAll", o, p, all: true);
    }

    /// <summary>String coercion used by $toLower, $substr and $strcasecmp: null becomes "", numbers and dates print.</summary>
    private static string CoerceToString(string op, BsonValue? v) => v switch
    {
        null or BsonNull or BsonUndefined => "",
        BsonString s => s.Value,
        BsonSymbol sym => sym.Name,
        BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128 => Conversions.NumberToString(v),
        BsonDateTime d => Dates.Format(d.MillisecondsSinceEpoch, "%Y-%m-%dT%H:%M:%S.%LZ", TimeZoneInfo.Utc),
        BsonTimestamp ts => Dates.Format(ts.Timestamp * 1000L, "%Y-%m-%dT%H:%M:%S.%LZ", TimeZoneInfo.Utc),
        _ => throw MongoError.Location(16007, $"can't convert from BSON type {Values.TypeName(v)} to String"),
    };

    private static string AsciiCase(string s, bool lower)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (lower && c is >= 'A' and <= 'Z') chars[i] = (char)(c + 32);
            else if (!lower && c is >= 'a' and <= 'z') chars[i] = (char)(c - 32);
        }
        return new string(chars);
    }

    private static Expr SubstrBytes(string name, Expr[] a) => s =>
    {
        var str = CoerceToString(name, a[0](s));
        var (startValue, lengthValue) = (a[1](s), a[2](s));
        if (!Values.IsNumber(startValue))
            throw MongoError.Location(16034, $"{name}: starting index must be a numeric type (is BSON type {Values.TypeName(startValue)})");
        if (!Values.IsNumber(lengthValue))
            throw MongoError.Location(16035, $"{name}: length must be a numeric type (is BSON type {Values.TypeName(lengthValue)})");
        var bytes = Encoding.UTF8.GetBytes(str);
        var start = (long)Values.ToDouble(startValue!);
        var length = (long)Values.ToDouble(lengthValue!);
        if (start < 0) throw MongoError.Location(50752, $"{name}: starting index must be non-negative (got: {start})");
        if (start >= bytes.Length) return "";
        var count = length < 0 || start + length > bytes.Length ? bytes.Length - start : length;
        bool IsContinuation(long i) => i < bytes.Length && (bytes[i] & 0xC0) == 0x80;
        if (IsContinuation(start))
            throw MongoError.Location(28656, $"{name}:  Invalid range, starting index is a UTF-8 continuation byte.");
        if (IsContinuation(start + count))
            throw MongoError.Location(28657, $"{name}:  Invalid range, ending index is in the middle of a UTF-8 character.");
        return Encoding.UTF8.GetString(bytes, (int)start, (int)count);
    };

    private static Expr SubstrCP(Expr[] a) => s =>
    {
        var str = CoerceToString("$substrCP", a[0](s));
        var (startValue, lengthValue) = (a[1](s), a[2](s));
        if (!Values.IsNumber(startValue))
            throw MongoError.Location(34450, $"$substrCP: starting index must be a numeric type (is BSON type {Values.TypeName(startValue)})");
        if (!Values.TryGetInt(startValue!, out var start))
            throw MongoError.Location(34451, "$substrCP: starting index cannot be represented as a 32-bit integral value");
        if (!Values.IsNumber(lengthValue))
            throw MongoError.Location(34452, $"$substrCP: length must be a numeric type (is BSON type {Values.TypeName(lengthValue)})");
        if (!Values.TryGetInt(lengthValue!, out var length))
            throw MongoError.Location(34453, "$substrCP: length cannot be represented as a 32-bit integral value");
        if (start < 0) throw MongoError.Location(34455, $"$substrCP: the starting index must be nonnegative integer.");
        if (length < 0) throw MongoError.Location(34454, $"$substrCP: length must be a nonnegative integer.");
        var runes = str.EnumerateRunes().ToArray();
        if (start >= runes.Length) return "";
        var sb = new StringBuilder();
        foreach (var r in runes.Skip(start).Take(length)) sb.Append(r.ToString());
        return sb.ToString();
    };

    private static Expr Trim(string name, BsonValue operand, ParseScope scope, bool left, bool right)
    {
        var args = Named(name, operand, 50696, "input", "chars");
        var input = args.TryGetValue("input", out var i)
            ? ExpressionCompiler.Compile(i, scope)
            : throw MongoError.Location(50695, $"{name} requires an 'input' field");
        var chars = Optional(args, "chars", scope);
        return s =>
        {
            var v = input(s);
            if (Values.IsNullish(v)) return BsonNull.Value;
            if (v is not BsonString str) throw MongoError.Location(50699, $"{name} requires its input to be a string, got {Values.Describe(v)} (of type {Values.TypeName(v)}) instead.");
            if (chars is null) return TrimRunes(str.Value, r => Rune.IsWhiteSpace(r) || r.Value == 0, left, right);
            var c = chars(s);
            if (Values.IsNullish(c)) return BsonNull.Value;
            if (c is not BsonString cs) throw MongoError.Location(50700, $"{name} requires 'chars' to be a string, got {Values.Describe(c)} (of type {Values.TypeName(c)}) instead.");
            var set = cs.Value.EnumerateRunes().ToHashSet();
            return TrimRunes(str.Value, set.Contains, left, right);
        };
    }

    private static string TrimRunes(string s, Func<Rune, bool> trim, bool left, bool right)
    {
        var runes = s.EnumerateRunes().ToList();
        int from = 0, to = runes.Count;
        if (left) while (from < to && trim(runes[from])) from++;
        if (right) while (to > from && trim(runes[to - 1])) to--;
        var sb = new StringBuilder();
        for (var i = from; i < to; i++) sb.Append(runes[i].ToString());
        return sb.ToString();
    }

    private static Expr IndexOfString(string name, Expr[] a, bool bytes) => s =>
    {
        var (strValue, subValue) = (a[0](s), a[1](s));
        if (Values.IsNullish(strValue)) return BsonNull.Value;
        if (strValue is not BsonString str) throw MongoError.Location(40091, $"{name} requires a string as the first argument, found: {Values.TypeName(strValue)}");
        if (subValue is not BsonString sub) throw MongoError.Location(40092, $"{name} requires a string as the second argument, found: {Values.TypeName(subValue)}");
        var units = bytes ? Encoding.UTF8.GetBytes(str.Value).Select(b => (int)b).ToArray() : str.Value.EnumerateRunes().Select(r => r.Value).ToArray();
        var needle = bytes ? Encoding.UTF8.GetBytes(sub.Value).Select(b => (int)b).ToArray() : sub.Value.EnumerateRunes().Select(r => r.Value).ToArray();
        int start = 0, end = units.Length;
        if (a.Length > 2) start = IndexBound(name, a[2](s), "starting", 40096, 40097);
        if (a.Length > 3) end = Math.Min(end, IndexBound(name, a[3](s), "ending", 40096, 40097));
        for (var i = start; i + needle.Length <= end; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++) match = units[i + j] == needle[j];
            if (match) return i;
        }
        return -1;
    };

    private static int IndexBound(string name, BsonValue? v, string which, int typeCode, int negativeCode)
    {
        if (v is null || !Values.TryGetInt(v, out var i))
            throw MongoError.Location(typeCode, $"{name} requires an integral {which} index, found a value of type: {Values.TypeName(v)}, with value: {Values.Describe(v)}");
        if (i < 0) throw MongoError.Location(negativeCode, $"{name} requires a nonnegative {which} index, found: {i}");
        return i;
    }

    private static Expr RegexOp(string name, BsonValue operand, ParseScope scope, Func<Regex, string, BsonValue> run, BsonValue onNull)
    {
        var args = Named(name, operand, 31024, "input", "regex", "options");
        var input = args.TryGetValue("input", out var i) ? ExpressionCompiler.Compile(i, scope) : throw MongoError.Location(31022, $"{name} requires 'input' parameter");
        var regex = args.TryGetValue("regex", out var r) ? ExpressionCompiler.Compile(r, scope) : throw MongoError.Location(31023, $"{name} requires 'regex' parameter");
        var options = Optional(args, "options", scope);
        return s =>
        {
            var inputValue = input(s);
            var regexValue = regex(s);
            var optionsValue = options?.Invoke(s);
            string pattern, flags = "";
            switch (regexValue)
            {
                case BsonRegularExpression re:
                    pattern = re.Pattern;
                    flags = re.Options;
                    if (optionsValue is BsonString && re.Options.Length > 0)
                        throw MongoError.Location(51075, $"{name}: found regex option(s) specified in both 'regex' and 'option' fields");
                    break;
                case BsonString str:
                    pattern = str.Value;
                    break;
                case null or BsonNull or BsonUndefined:
                    return onNull;
                default:
                    throw MongoError.Location(51105, $"{name} needs 'regex' to be of type string or regex");
            }
            if (optionsValue is BsonString o) flags = o.Value;
            else if (optionsValue is not (null or BsonNull or BsonUndefined)) throw MongoError.Location(51106, $"{name} needs 'options' to be of type string");
            if (Values.IsNullish(inputValue)) return onNull;
            if (inputValue is not BsonString inputString) throw MongoError.Location(51104, $"{name} needs 'input' to be of type string");
            return run(BuildRegex(name, pattern, flags), inputString.Value);
        };
    }

    public static Regex BuildRegex(string name, string pattern, string flags)
    {
        var options = RegexOptions.CultureInvariant;
        foreach (var f in flags)
        {
            options |= f switch
            {
                'i' => RegexOptions.IgnoreCase,
                'm' => RegexOptions.Multiline,
                's' => RegexOptions.Singleline,
                'x' => RegexOptions.IgnorePatternWhitespace,
                'u' => RegexOptions.None,
                _ => throw MongoError.Location(51108, $"{name} invalid flag in regex options: {f}"),
            };
        }
        try
        {
            return new Regex(pattern, options, TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException e)
        {
            throw MongoError.Location(51111, $"Invalid Regex in {name}: {e.Message}");
        }
    }

    private static BsonDocument MatchDocument(Match m, string input)
    {
        var captures = new BsonArray();
        for (var g = 1; g < m.Groups.Count; g++)
            captures.Add(m.Groups[g].Success ? m.Groups[g].Value : BsonNull.Value);
        var idx = input[..m.Index].EnumerateRunes().Count();
        return new BsonDocument { { "match", m.Value }, { "idx", idx }, { "captures", captures } };
    }

    private static Expr Replace(string name, BsonValue operand, ParseScope scope, bool all)
    {
        var args = Named(name, operand, 51750, "input", "find", "replacement");
        var parts = new[] { "input", "find", "replacement" }
            .Select(f => args.TryGetValue(f, out var v) ? ExpressionCompiler.Compile(v, scope) : throw MongoError.Location(51748, $"{name} requires '{f}' to be specified"))
            .ToArray();
        return s =>
        {
            var values = parts.Select(x => x(s)).ToArray();
            string[] names = ["input", "find", "replacement"];
            for (var i = 0; i < 3; i++)
            {
                if (!Values.IsNullish(values[i]) && values[i] is not BsonString)
                    throw MongoError.Location(51746, $"{name} requires that '{names[i]}' be a string, found: {Values.Describe(values[i])}");
            }
            if (values.Any(Values.IsNullish)) return BsonNull.Value;
            var (input, find, replacement) = (values[0]!.AsString, values[1]!.AsString, values[2]!.AsString);
            if (all) return find.Length == 0 ? input : input.Replace(find, replacement, StringComparison.Ordinal);
            var at = input.IndexOf(find, StringComparison.Ordinal);
            return at < 0 ? input : string.Concat(input.AsSpan(0, at), replacement, input.AsSpan(at + find.Length));
        };
    }
}
