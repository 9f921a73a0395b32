using System.Globalization;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

internal static partial class Operators
{
    private static void RegisterDates(Dictionary<string, Func<BsonValue, ParseScope, Expr>> t)
    {
        foreach (var (name, part) in new (string, Func<DateTime, int>)[]
                 {
                     ("$year", d => d.Year), ("$month", d => d.Month), ("$dayOfMonth", d => d.Day),
                     ("$hour", d => d.Hour), ("$minute", d => d.Minute), ("$second", d => d.Second),
                     ("$millisecond", d => d.Millisecond), ("$dayOfWeek", d => (int)d.DayOfWeek + 1),
                     ("$dayOfYear", d => d.DayOfYear), ("$week", Dates.Week),
                     ("$isoWeek", ISOWeek.GetWeekOfYear), ("$isoWeekYear", ISOWeek.GetYear),
                     ("$isoDayOfWeek", d => d.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)d.DayOfWeek),
                 })
        {
            t[name] = (o, p) => DatePart(name, o, p, part);
        }
        t["$dateToString"] = DateToString;
        t["$dateFromString"] = DateFromString;
        t["$dateFromParts"] = DateFromParts;
        t["$dateToParts"] = DateToParts;
        t["$dateAdd"] = (o, p) => DateAdd("$dateAdd", o, p, 1);
        t["$dateSubtract"] = (o, p) => DateAdd("$dateSubtract", o, p, -1);
        t["$dateDiff"] = DateDiff;
        t["$dateTrunc"] = DateTrunc;
    }

    private static Expr DatePart(string name, BsonValue operand, ParseScope scope, Func<DateTime, int> part)
    {
        Expr date;
        Expr? timezone = null;
        if (operand is BsonDocument d && !ExpressionCompiler.IsOperatorObject(d))
        {
            foreach (var e in d)
            {
                if (e.Name is not ("date" or "timezone")) throw MongoError.Location(40535, $"unrecognized option to {name}: \"{e.Name}\"");
            }
            date = Required(d, "date", scope, name, 40539);
            timezone = Optional(d, "timezone", scope);
        }
        else
        {
            date = One(name, operand, scope);
        }
        return s =>
        {
            var v = date(s);
            if (Values.IsNullish(v)) return BsonNull.Value;
            var tz = TimeZone(timezone, s);
            if (tz is null) return BsonNull.Value;
            return part(Dates.Local(Dates.ToMillis(v!), tz));
        };
    }

    /// <summary>The evaluated timezone argument: UTC when absent, null when it evaluates to null.</summary>
    private static TimeZoneInfo? TimeZone(Expr? timezone, Scope s)
    {
        if (timezone is null) return TimeZoneInfo.Utc;
        var v = timezone(s);
        return Values.IsNullish(v) ? null : Dates.ParseTimeZone(v);
    }

    private static Expr DateToString(BsonValue operand, ParseScope scope)
    {
        var args = Named("$dateToString", operand, 18534, "date", "format", "timezone", "onNull");
        var date = Required(args, "date", scope, "$dateToString", 18628);
        var format = Optional(args, "format", scope);
        var timezone = Optional(args, "timezone", scope);
        var onNull = Optional(args, "onNull", scope);
        if (args.TryGetValue("format", out var f) && f is BsonString fs) Dates.ValidateFormat(fs.Value);
        return s =>
        {
            var v = date(s);
            if (Values.IsNullish(v)) return onNull is null ? BsonNull.Value : onNull(s);
            var tz = TimeZone(timezone, s);
            if (tz is null) return BsonNull.Value;
            string fmt;
            if (format is null) fmt = timezone is null ? Dates.DefaultFormat : "%Y-%m-%dT%H:%M:%S.%L";
            else
            {
                var fv = format(s);
                if (Values.IsNullish(fv)) return BsonNull.Value;
                if (fv is not BsonString str) throw MongoError.Location(18533, $"$dateToString requires that 'format' be a string, found: {Values.TypeName(fv)} with value {Values.Describe(fv)}");
                fmt = str.Value;
            }
            return Dates.Format(Dates.ToMillis(v!), fmt, tz);
        };
    }

    private static Expr DateFromString(BsonValue operand, ParseScope scope)
    {
        var args = Named("$dateFromString", operand, 40541, "dateString", "format", "timezone", "onError", "onNull");
        var text = Required(args, "dateString", scope, "$dateFromString", 40542);
        var format = Optional(args, "format", scope);
        var timezone = Optional(args, "timezone", scope);
        var onError = Optional(args, "onError", scope);
        var onNull = Optional(args, "onNull", scope);
        return s =>
        {
            var v = text(s);
            if (Values.IsNullish(v)) return onNull is null ? BsonNull.Value : onNull(s);
            try
            {
                if (v is not BsonString str)
                    throw new MongoError(241, "ConversionFailure", $"$dateFromString requires that 'dateString' be a string, found: {Values.TypeName(v)} with value {Values.Describe(v)}");
                var tz = TimeZone(timezone, s);
                if (tz is null) return BsonNull.Value;
                string? fmt = null;
                if (format is not null)
                {
                    var fv = format(s);
                    if (Values.IsNullish(fv)) return BsonNull.Value;
                    fmt = fv is BsonString fstr ? fstr.Value : throw MongoError.Location(40684, $"$dateFromString requires that 'format' be a string, found: {Values.TypeName(fv)}");
                }
                return Dates.Parse(str.Value, fmt, tz) is { } ms
                    ? new BsonDateTime(ms)
                    : throw new MongoError(241, "ConversionFailure", $"Error parsing date string '{str.Value}'");
            }
            catch (MongoError e) when (e.Code == 241 && onError is not null)
            {
                return onError(s);
            }
        };
    }

    private static Expr DateFromParts(BsonValue operand, ParseScope scope)
    {
        string[] parts = ["year", "month", "day", "hour", "minute", "second", "millisecond"];
        var args = Named("$dateFromParts", operand, 40518, [.. parts, "timezone", "isoWeekYear", "isoWeek", "isoDayOfWeek"]);
        var iso = args.Contains("isoWeekYear");
        if (!iso && !args.Contains("year")) throw MongoError.Location(40516, "$dateFromParts requires either 'year' or 'isoWeekYear' to be present");
        if (iso && args.Contains("year")) throw MongoError.Location(40489, "$dateFromParts does not allow mixing natural dates with ISO dates");
        var compiled = new Dictionary<string, Expr>();
        foreach (var e in args)
        {
            if (e.Name != "timezone") compiled[e.Name] = ExpressionCompiler.Compile(e.Value, scope);
        }
        var timezone = Optional(args, "timezone", scope);
        return s =>
        {
            long Get(string name, long fallback)
            {
                if (!compiled.TryGetValue(name, out var expr)) return fallback;
                var v = expr(s);
                if (Values.IsNullish(v)) throw new NullPartException();
                if (!Values.TryGetLong(v!, out var l))
                    throw MongoError.Location(40515, $"'{name}' must evaluate to an integer, found {Values.TypeName(v)} with value {Values.Describe(v)}");
                return l;
            }
            try
            {
                var tz = TimeZone(timezone, s);
                if (tz is null) return BsonNull.Value;
                DateTime local;
                if (iso)
                {
                    var start = ISOWeek.ToDateTime((int)Get("isoWeekYear", 1970), 1, DayOfWeek.Monday);
                    local = start.AddDays((Get("isoWeek", 1) - 1) * 7 + Get("isoDayOfWeek", 1) - 1);
                }
                else
                {
                    var year = Get("year", 1970);
                    if (year is < 1 or > 9999) throw MongoError.Location(40523, $"'year' must evaluate to an integer in the range 1 to 9999, found {year}");
                    local = new DateTime((int)year, 1, 1).AddMonths((int)Get("month", 1) - 1).AddDays(Get("day", 1) - 1);
                }
                local = local.AddHours(Get("hour", 0)).AddMinutes(Get("minute", 0)).AddSeconds(Get("second", 0)).AddMilliseconds(Get("millisecond", 0));
                return new BsonDateTime(Dates.ToMillis(local, tz));
            }
            catch (NullPartException)
            {
                return BsonNull.Value;
            }
        };
    }

    private sealed class NullPartException : Exception;

    private static Expr DateToParts(BsonValue operand, ParseScope scope)
    {
        var args = Named("$dateToParts", operand, 40520, "date", "timezone", "iso8601");
        var date = Required(args, "date", scope, "$dateToParts", 40522);
        var timezone = Optional(args, "timezone", scope);
        var iso = Optional(args, "iso8601", scope);
        return s =>
        {
            var v = date(s);
            if (Values.IsNullish(v)) return BsonNull.Value;
            var tz = TimeZone(timezone, s);
            if (tz is null) return BsonNull.Value;
            var d = Dates.Local(Dates.ToMillis(v!), tz);
            var result = iso is not null && Values.IsTrue(iso(s))
                ? new BsonDocument
                {
                    { "isoWeekYear", ISOWeek.GetYear(d) }, { "isoWeek", ISOWeek.GetWeekOfYear(d) },
                    { "isoDayOfWeek", d.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)d.DayOfWeek },
                }
                : new BsonDocument { { "year", d.Year }, { "month", d.Month }, { "day", d.Day } };
            result.Add("hour", d.Hour).Add("minute", d.Minute).Add("second", d.Second).Add("millisecond", d.Millisecond);
            return result;
        };
    }

    private static Expr DateAdd(string name, BsonValue operand, ParseScope scope, int sign)
    {
        var args = Named(name, operand, 5166302, "startDate", "unit", "amount", "timezone");
        var start = Required(args, "startDate", scope, name, 5166303);
        var unit = Required(args, "unit", scope, name, 5166304);
        var amount = Required(args, "amount", scope, name, 5166305);
        var timezone = Optional(args, "timezone", scope);
        return s =>
        {
            var (sv, uv, av) = (start(s), unit(s), amount(s));
            if (Values.IsNullish(sv) || Values.IsNullish(uv) || Values.IsNullish(av)) return BsonNull.Value;
            if (sv is not (BsonDateTime or BsonTimestamp or BsonObjectId))
                throw MongoError.Location(5166403, $"{name} requires startDate to be convertible to a date");
            if (uv is not BsonString u) throw MongoError.Location(5439013, $"{name} requires 'unit' to be a string, but got {Values.TypeName(uv)}");
            if (!Values.TryGetLong(av!, out var n)) throw MongoError.Location(5166405, $"{name} expects integer amount of time units");
            var tz = TimeZone(timezone, s) ?? TimeZoneInfo.Utc;
            var ms = Dates.ToMillis(sv);
            n *= sign;
            long Fixed(long unitMs) => ms + n * unitMs;
            long Calendar(Func<DateTime, DateTime> f) => Dates.ToMillis(f(Dates.Local(ms, tz)), tz);
            return new BsonDateTime(u.Value switch
            {
                "millisecond" => Fixed(1),
                "second" => Fixed(1000),
                "minute" => Fixed(60_000),
                "hour" => Fixed(3_600_000),
                "day" => Calendar(d => d.AddDays(n)),
                "week" => Calendar(d => d.AddDays(7 * n)),
                "month" => Calendar(d => d.AddMonths((int)n)),
                "quarter" => Calendar(d => d.AddMonths((int)(3 * n))),
                "year" => Calendar(d => d.AddYears((int)n)),
                _ => throw MongoError.Location(9, $"unknown time unit value: {u.Value}"),
            });
        };
    }

    private static readonly string[] TimeUnits = ["year", "quarter", "month", "week", "day", "hour", "minute", "second", "millisecond"];

    private static string TimeUnit(string op, BsonValue? v)
    {
        if (v is not BsonString s) throw MongoError.Location(5439013, $"{op} requires 'unit' to be a string, but got {Values.TypeName(v)}");
        return Array.IndexOf(TimeUnits, s.Value) >= 0 ? s.Value : throw MongoError.Location(5439014, $"{op} parameter 'unit' value cannot be recognized as a time unit: {s.Value}");
    }

    private static DayOfWeek StartOfWeek(string op, BsonValue? v)
    {
        if (v is null) return DayOfWeek.Sunday;
        if (v is not BsonString s) throw MongoError.Location(5439015, $"{op} requires 'startOfWeek' to be a string, but got {Values.TypeName(v)}");
        return s.Value.ToLowerInvariant() switch
        {
            "sunday" or "sun" => DayOfWeek.Sunday,
            "monday" or "mon" => DayOfWeek.Monday,
            "tuesday" or "tue" => DayOfWeek.Tuesday,
            "wednesday" or "wed" => DayOfWeek.Wednesday,
            "thursday" or "thu" => DayOfWeek.Thursday,
            "friday" or "fri" => DayOfWeek.Friday,
            "saturday" or "sat" => DayOfWeek.Saturday,
            _ => throw MongoError.Location(5439016, $"{op} parameter 'startOfWeek' value cannot be recognized as a day of a week: {s.Value}"),
        };
    }

    private static DateTime WeekStart(DateTime d, DayOfWeek first) => d.Date.AddDays(-(((int)d.DayOfWeek - (int)first + 7) % 7));

    private static Expr DateDiff(BsonValue operand, ParseScope scope)
    {
        var args = Named("$dateDiff", operand, 5166301, "startDate", "endDate", "unit", "timezone", "startOfWeek");
        var start = Required(args, "startDate", scope, "$dateDiff", 5166302);
        var end = Required(args, "endDate", scope, "$dateDiff", 5166303);
        var unit = Required(args, "unit", scope, "$dateDiff", 5166304);
        var timezone = Optional(args, "timezone", scope);
        var startOfWeek = Optional(args, "startOfWeek", scope);
        return s =>
        {
            var (sv, ev, uv) = (start(s), end(s), unit(s));
            if (Values.IsNullish(sv) || Values.IsNullish(ev) || Values.IsNullish(uv)) return BsonNull.Value;
            var u = TimeUnit("$dateDiff", uv);
            var tz = TimeZone(timezone, s);
            if (tz is null) return BsonNull.Value;
            var (ms1, ms2) = (Dates.ToMillis(sv!), Dates.ToMillis(ev!));
            var (a, b) = (Dates.Local(ms1, tz), Dates.Local(ms2, tz));
            long Floor(long x, long unitMs) => (long)Math.Floor((double)x / unitMs);
            long localMs1 = ms1 + (long)Dates.Offset(ms1, tz).TotalMilliseconds, localMs2 = ms2 + (long)Dates.Offset(ms2, tz).TotalMilliseconds;
            return new BsonInt64(u switch
            {
                "year" => b.Year - a.Year,
                "quarter" => (b.Year * 4 + (b.Month - 1) / 3) - (a.Year * 4 + (a.Month - 1) / 3),
                "month" => (b.Year * 12 + b.Month) - (a.Year * 12 + a.Month),
                "week" => (long)((WeekStart(b, StartOfWeek("$dateDiff", startOfWeek?.Invoke(s))) - WeekStart(a, StartOfWeek("$dateDiff", startOfWeek?.Invoke(s)))).TotalDays / 7),
                "day" => (long)(b.Date - a.Date).TotalDays,
                "hour" => Floor(localMs2, 3_600_000) - Floor(localMs1, 3_600_000),
                "minute" => Floor(localMs2, 60_000) - Floor(localMs1, 60_000),
                "second" => Floor(localMs2, 1000) - Floor(localMs1, 1000),
                _ => ms2 - ms1,
            });
        };
    }

    private static Expr DateTrunc(BsonValue operand, ParseScope scope)
    {
        var args = Named("$dateTrunc", operand, 5439007, "date", "unit", "binSize", "timezone", "startOfWeek");
        var date = Required(args, "date", scope, "$dateTrunc", 5439008);
        var unit = Required(args, "unit", scope, "$dateTrunc", 5439009);
        var binSize = Optional(args, "binSize", scope);
        var timezone = Optional(args, "timezone", scope);
        var startOfWeek = Optional(args, "startOfWeek", scope);
        return s =>
        {
            var (dv, uv) = (date(s), unit(s));
            if (Values.IsNullish(dv) || Values.IsNullish(uv)) return BsonNull.Value;
            var u = TimeUnit("$dateTrunc", uv);
            long bin = 1;
            if (binSize is not null)
            {
                var bv = binSize(s);
                if (Values.IsNullish(bv)) return BsonNull.Value;
                if (!Values.TryGetLong(bv!, out bin) || bin <= 0)
                    throw MongoError.Location(5439017, $"$dateTrunc requires 'binSize' to be a positive 64-bit integer, but got value '{Values.Describe(bv)}'");
            }
            var tz = TimeZone(timezone, s);
            if (tz is null) return BsonNull.Value;
            var local = Dates.Local(Dates.ToMillis(dv!), tz);
            var reference = new DateTime(2000, 1, 1);
            DateTime truncated;
            switch (u)
            {
                case "year":
                    truncated = new DateTime((int)(2000 + FloorDiv(local.Year - 2000, bin) * bin), 1, 1);
                    break;
                case "quarter" or "month":
                    var size = (u == "quarter" ? 3 : 1) * bin;
                    var months = (local.Year - 2000) * 12L + local.Month - 1;
                    truncated = reference.AddMonths((int)(FloorDiv(months, size) * size));
                    break;
                case "week":
                    var first = StartOfWeek("$dateTrunc", startOfWeek?.Invoke(s));
                    var refWeek = WeekStart(reference, first);
                    var weeks = (long)Math.Floor((WeekStart(local, first) - refWeek).TotalDays / 7);
                    truncated = refWeek.AddDays(FloorDiv(weeks, bin) * bin * 7);
                    break;
                default:
                    var unitMs = u switch { "day" => 86_400_000L, "hour" => 3_600_000L, "minute" => 60_000L, "second" => 1000L, _ => 1L } * bin;
                    var sinceRef = (long)(local - reference).TotalMilliseconds;
                    truncated = reference.AddMilliseconds(FloorDiv(sinceRef, unitMs) * unitMs);
                    break;
            }
            return new BsonDateTime(Dates.ToMillis(truncated, tz));
        };
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
