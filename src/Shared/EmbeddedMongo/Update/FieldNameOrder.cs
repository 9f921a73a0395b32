namespace Monolith.EmbeddedMongo.Update;

/// <summary>
/// The order in which update operators visit (and therefore append) fields: numeric names in numeric order,
/// everything else lexicographically (MongoDB 5.0+).
/// </summary>
internal sealed class FieldNameOrder : IComparer<string>
{
    public static readonly FieldNameOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return string.CompareOrdinal(x, y);
        if (IsDigits(x) && IsDigits(y) && x.Length != y.Length) return x.Length.CompareTo(y.Length);
        return string.CompareOrdinal(x, y);
    }

    private static bool IsDigits(string s)
    {
        if (s.Length == 0) return false;
        foreach (var c in s)
        {
            if (c is < '0' or > '9') return false;
        }
        return true;
    }
}
