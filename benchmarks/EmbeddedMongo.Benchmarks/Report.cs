using System.Globalization;
using System.Text;

namespace Monolith.EmbeddedMongo.Benchmarks;

/// <summary>The markdown table printed at the end: one row per measurement, with its target where it has one.</summary>
internal sealed class Report
{
    private readonly List<(string Name, string Value, string Target, string Verdict)> _rows = [];

    public List<string> Misses { get; } = [];

    public void Add(string name, string value) => _rows.Add((name, value, "", ""));

    /// <summary>A ratio with a target; lowerIsBetter says whether the target is a maximum.</summary>
    public void Ratio(string name, double ratio, double target, bool lowerIsBetter)
    {
        var met = lowerIsBetter ? ratio <= target : ratio >= target;
        if (!met)
            Misses.Add(name);
        _rows.Add((name, F(ratio, "0.00") + "x", (lowerIsBetter ? "<= " : ">= ") + F(target, "0.##") + "x", met ? "met" : "MISSED"));
    }

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| measurement | value | target | verdict |");
        sb.AppendLine("|---|---:|---:|---|");
        foreach (var (name, value, target, verdict) in _rows)
            sb.AppendLine($"| {name} | {value} | {target} | {verdict} |");
        return sb.ToString();
    }

    public static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
