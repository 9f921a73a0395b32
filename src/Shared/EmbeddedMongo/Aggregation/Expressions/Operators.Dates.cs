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
}
