using System.Globalization;
using System.Text;

namespace Monolith.EmbeddedMongo.Auth;

/// <summary>
/// RFC 4013 SASLprep of a SCRAM-SHA-256 password, as mongod applies it: non-ASCII spaces become spaces, the
/// characters "commonly mapped to nothing" go, the result is NFKC-normalised, and prohibited or unassigned
/// characters and malformed bidirectional text are refused.
/// </summary>
internal static class SaslPrep
{
    public static string Prepare(string value)
    {
        var mapped = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            if (IsMappedToNothing(rune.Value)) continue;
            mapped.Append(IsNonAsciiSpace(rune.Value) ? " " : rune.ToString());
        }
        var normalized = mapped.ToString().Normalize(NormalizationForm.FormKC);
        var hasRandAL = false;
        var hasL = false;
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (IsProhibited(rune)) throw MongoError.BadValue("Error preparing password: prohibited character");
            var direction = Direction(rune);
            hasRandAL |= direction == 'R';
            hasL |= direction == 'L';
        }
        if (hasRandAL)
        {
            var runes = normalized.EnumerateRunes().ToList();
            if (hasL || Direction(runes[0]) != 'R' || Direction(runes[^1]) != 'R')
                throw MongoError.BadValue("Error preparing password: invalid bidirectional text");
        }
        return normalized;
    }

    private static bool IsMappedToNothing(int c) =>
        c is 0x00AD or 0x034F or 0x1806 or 0x180B or 0x180C or 0x180D or 0x200B or 0x200C or 0x200D or 0x2060
            or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF;

    private static bool IsNonAsciiSpace(int c) =>
        c is 0x00A0 or 0x1680 or (>= 0x2000 and <= 0x200B) or 0x202F or 0x205F or 0x3000;

    private static bool IsProhibited(Rune rune)
    {
        var c = rune.Value;
        if (IsNonAsciiSpace(c)) return true;
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) return true; // C.2.1, C.2.2
        if (c is 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D or 0x2028 or 0x2029 or (>= 0x2060 and <= 0x2063)
            or (>= 0x206A and <= 0x206F) or 0xFEFF or (>= 0xFFF9 and <= 0xFFFC) or (>= 0x1D173 and <= 0x1D17A)) return true;
        if ((c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000) return true; // private use (C.3)
        if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE) return true; // non-characters (C.4)
        if (c is (>= 0xFFF9 and <= 0xFFFD) or (>= 0x2FF0 and <= 0x2FFB)) return true; // C.6, C.7
        if (c is 0x0340 or 0x0341 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x206A and <= 0x206F)) return true; // C.8
        if (c is 0xE0001 or (>= 0xE0020 and <= 0xE007F)) return true; // C.9
        return Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherNotAssigned; // A.1 (approximated by .NET's Unicode tables)
    }

    private static char Direction(Rune rune)
    {
        var c = rune.Value;
        if ((c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF)) return 'R';
        return Rune.IsLetter(rune) ? 'L' : 'N';
    }
}
