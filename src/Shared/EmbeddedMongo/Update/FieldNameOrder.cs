namespace Monolith.EmbeddedMongo.Update;

/// <summary>
/// The order in which update operators visit (and therefore append) fields, as MongoDB 5.0+ does: names that look
/// like numbers (a leading digit, no zero padding) shorter first, everything else lexicographically.
/// </summary>
internal sealed class FieldNameOrder : IComparer<string>
{
    public static readonly FieldNameOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return string.CompareOrdinal(x, y);
        if (!LooksNumeric(x) || !LooksNumeric(y) || x.Length == y.Length) return string.CompareOrdinal(x, y);
        return x.Length.CompareTo(y.Length);
    }

    private static bool LooksNumeric(string s) => s.Length > 0 && char.IsAsciiDigit(s[0]) && !(s[0] == '0' && s.Length > 1);
}
