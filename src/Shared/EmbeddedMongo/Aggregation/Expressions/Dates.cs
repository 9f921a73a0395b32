using System.Globalization;
using System.Text;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>Date parts, time zones and MongoDB's %-format specifiers.</summary>
internal static class Dates
{
    public const string DefaultFormat = "%Y-%m-%dT%H:%M:%S.%LZ";

    public static DateTime Local(long ms, TimeZoneInfo tz)
    {
        var utc = DateTime.UnixEpoch.AddMilliseconds(ms);
        return tz == TimeZoneInfo.Utc ? utc : TimeZoneInfo.ConvertTimeFromUtc(utc, tz);
    }

    public static TimeSpan Offset(long ms, TimeZoneInfo tz) => tz.GetUtcOffset(DateTime.UnixEpoch.AddMilliseconds(ms));

    public static long ToMillis(DateTime local, TimeZoneInfo tz)
    {
        var utc = tz == TimeZoneInfo.Utc
            ? DateTime.SpecifyKind(local, DateTimeKind.Utc)
            : TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), tz);
        return (long)(utc - DateTime.UnixEpoch).TotalMilliseconds;
    }

    public static TimeZoneInfo ParseTimeZone(BsonValue? value)
    {
        if (value is not BsonString s)
            throw MongoError.Location(40517, $"timezone must evaluate to a string, found {Values.TypeName(value)}");
        var id = s.Value;
        if (id is "UTC" or "GMT" or "Z" or "Etc/UTC") return TimeZoneInfo.Utc;
        if (id.Length > 1 && id[0] is '+' or '-')
        {
            var digits = id[1..].Replace(":", "");
            if (digits.All(char.IsAsciiDigit) && digits.Length is 2 or 4)
            {
                var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
                var minutes = digits.Length == 4 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
                var offset = new TimeSpan(hours, minutes, 0);
                if (id[0] == '-') offset = -offset;
                return TimeZoneInfo.CreateCustomTimeZone(id, offset, id, id);
            }
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw MongoError.Location(40485, $"unrecognized time zone identifier: \"{id}\"");
        }
    }

    /// <summary>Milliseconds since the epoch of a date-like value (date, timestamp, ObjectId), or an error 16006.</summary>
    public static long ToMillis(BsonValue value) => value switch
    {
        BsonDateTime d => d.MillisecondsSinceEpoch,
        BsonTimestamp ts => ts.Timestamp * 1000L,
        BsonObjectId oid => oid.Value.Timestamp * 1000L,
        _ => throw MongoError.Location(16006, $"can't convert from BSON type {Values.TypeName(value)} to Date"),
    };

    public static int Week(DateTime d) => (d.DayOfYear - 1 + 7 - (int)d.DayOfWeek) / 7;

    public static string Format(long ms, string format, TimeZoneInfo tz)
    {
        var d = Local(ms, tz);
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            if (i == format.Length - 1) throw MongoError.Location(18535, "Unmatched '%' at end of format string");
            var spec = format[++i];
            switch (spec)
            {
                case 'd': sb.Append(d.Day.ToString("00", CultureInfo.InvariantCulture)); break;
                case 'G': sb.Append(ISOWeek.GetYear(d).ToString("0000", CultureInfo.InvariantCulture)); break;
                case 'H': sb.Append(d.Hour.ToString("00", CultureInfo.InvariantCulture)); break;
                case 'j': sb.Append(d.DayOfYear.ToString("000", CultureInfo.InvariantCulture)); break;
                case 'L': sb.Append(d.Millisecond.ToString("000", CultureInfo.InvariantCulture)); break;
                case 'm': sb.Append(d.Month.ToString("00", CultureInfo.InvariantCulture)); break;
                case 'M': sb.Append(d.Minute.ToString("00", CultureInfo.InvariantCulture)); break;
                case 'S': sb.Append(d.Second.ToString("00", CultureInfo.InvariantCulture)); break;
                case 'w': sb.Append((int)d.DayOfWeek + 1); break;
                case 'u': sb.Append(d.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)d.DayOfWeek); break;
                case 'U': sb.Append(Week(d).ToString("00", CultureInfo.InvariantCulture)); break;
                case 'V': sb.Append(ISOWeek.GetWeekOfYear(d).ToString("00", CultureInfo.InvariantCulture)); break;
                case 'Y': sb.Append(d.Year.ToString("0000", CultureInfo.InvariantCulture)); break;
                case 'b': sb.Append(CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(d.Month)); break;
                case 'B': sb.Append(CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(d.Month)); break;
                case 'z':
                    var off = Offset(ms, tz);
                    sb.Append(off < TimeSpan.Zero ? '-' : '+').Append(off.Duration().ToString("hhmm", CultureInfo.InvariantCulture));
                    break;
                case 'Z': sb.Append((int)Offset(ms, tz).TotalMinutes); break;
                case '%': sb.Append('%'); break;
                default: throw MongoError.Location(18536, $"Invalid format character '%{spec}' in format string");
            }
        }
        return sb.ToString();
    }

    public static void ValidateFormat(string format)
    {
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%') continue;
            if (i == format.Length - 1) throw MongoError.Location(18535, "Unmatched '%' at end of format string");
            var spec = format[++i];
            if ("dGHjLmMSwuUVYbBzZ%".IndexOf(spec) < 0) throw MongoError.Location(18536, $"Invalid format character '%{spec}' in format string");
        }
    }

    /// <summary>Parses a date string; without a format accepts ISO 8601 forms, with one the %-specifiers.</summary>
    public static long? Parse(string text, string? format, TimeZoneInfo tz)
    {
        if (format is null)
        {
            var styles = DateTimeStyles.AllowWhiteSpaces;
            string[] withOffset = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK"];
            if (text.EndsWith('Z') || HasOffset(text))
            {
                foreach (var f in withOffset)
                {
                    if (DateTimeOffset.TryParseExact(text, f, CultureInfo.InvariantCulture, styles, out var dto))
                        return dto.ToUnixTimeMilliseconds();
                }
            }
            if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind, out var dt))
            {
                if (dt.Kind == DateTimeKind.Utc) return (long)(dt - DateTime.UnixEpoch).TotalMilliseconds;
                if (dt.Kind == DateTimeKind.Local) return new DateTimeOffset(dt).ToUnixTimeMilliseconds();
                return ToMillis(dt, tz);
            }
            return null;
        }
        return ParseWithFormat(text, format, tz);
    }

    private static bool HasOffset(string text)
    {
        var t = text.LastIndexOf('T');
        if (t < 0) t = text.LastIndexOf(' ');
        return t > 0 && text.IndexOfAny(['+', '-'], t) > 0;
    }

    private static long? ParseWithFormat(string text, string format, TimeZoneInfo tz)
    {
        int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
        TimeSpan? offset = null;
        var pos = 0;
        bool Number(int maxDigits, out int value)
        {
            value = 0;
            var start = pos;
            while (pos < text.Length && pos - start < maxDigits && char.IsAsciiDigit(text[pos])) value = value * 10 + (text[pos++] - '0');
            return pos > start;
        }
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i == format.Length - 1)
            {
                if (pos >= text.Length || text[pos] != format[i]) return null;
                pos++;
                continue;
            }
            var spec = format[++i];
            bool ok;
            switch (spec)
            {
                case 'Y': ok = Number(4, out year); break;
                case 'm': ok = Number(2, out month); break;
                case 'd': ok = Number(2, out day); break;
                case 'H': ok = Number(2, out hour); break;
                case 'M': ok = Number(2, out minute); break;
                case 'S': ok = Number(2, out second); break;
                case 'L': ok = Number(3, out millis); break;
                case 'j':
                    ok = Number(3, out var yday);
                    if (ok) (month, day) = (1, yday);
                    break;
                case 'z':
                case 'Z':
                    if (pos < text.Length && text[pos] == 'Z')
                    {
                        pos++;
                        offset = TimeSpan.Zero;
                        ok = true;
                        break;
                    }
                    var sign = pos < text.Length && text[pos] == '-' ? -1 : 1;
                    if (pos < text.Length && text[pos] is '+' or '-') pos++;
                    if (spec == 'Z')
                    {
                        ok = Number(4, out var mins);
                        offset = TimeSpan.FromMinutes(sign * mins);
                    }
                    else
                    {
                        ok = Number(2, out var hh);
                        if (pos < text.Length && text[pos] == ':') pos++;
                        Number(2, out var mm);
                        offset = new TimeSpan(hh, mm, 0) * sign;
                    }
                    break;
                case '%':
                    ok = pos < text.Length && text[pos++] == '%';
                    break;
                default:
                    throw MongoError.Location(18536, $"Invalid format character '%{spec}' in format string");
            }
            if (!ok) return null;
        }
        if (pos != text.Length) return null;
        try
        {
            var local = new DateTime(year, month, 1, hour, minute, second, millis, DateTimeKind.Unspecified).AddDays(day - 1);
            if (offset is { } o) return (long)(DateTime.SpecifyKind(local - o, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;
            return ToMillis(local, tz);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
