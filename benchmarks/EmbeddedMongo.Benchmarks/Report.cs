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
    public void Ratio(string name, double ratio, double target, bool lowerIsBetter) => Target(name, ratio, target, lowerIsBetter, "x");

    /// <summary>A measured figure against a target in the same unit (e.g. seconds: unit " s").</summary>
    public void Target(string name, double value, double target, bool lowerIsBetter, string unit)
    {
        var met = lowerIsBetter ? value <= target : value >= target;
        if (!met)
            Misses.Add(name);
        _rows.Add((name, F(value, "0.00") + unit, (lowerIsBetter ? "<= " : ">= ") + F(target, "0.##") + unit, met ? "met" : "MISSED"));
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
