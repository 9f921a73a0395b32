using System.Diagnostics;

namespace Monolith.EmbeddedMongo.Benchmarks;

/// <summary>Per-operation latencies of one sequential run.</summary>
internal sealed class Latency
{
    private readonly List<double> _micros = [];
    private readonly Stopwatch _total = new();

    public int Count => _micros.Count;

    public double OpsPerSecond => Count / _total.Elapsed.TotalSeconds;

    public double Percentile(double p)
    {
        var sorted = _micros.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public double P50 => Percentile(50);

    /// <summary>
    /// Runs several operations in alternating rounds (after a warm-up of each), so that load from other
    /// processes on a shared machine falls on all of them alike and their ratios stay meaningful.
    /// </summary>
    public static async Task<Latency[]> MeasureInterleavedAsync(int warmup, int count, int rounds, params Func<int, Task>[] operations)
    {
        foreach (var operation in operations)
        {
            for (var i = 0; i < warmup; i++)
                await operation(i);
        }
        var results = operations.Select(_ => new Latency()).ToArray();
        var perRound = Math.Max(1, count / rounds);
        var next = warmup;
        for (var round = 0; round < rounds; round++)
        {
            for (var o = 0; o < operations.Length; o++)
            {
                var latency = results[o];
                latency._total.Start();
                for (var i = 0; i < perRound; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await operations[o](next + i);
                    latency._micros.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }
                latency._total.Stop();
            }
            next += perRound;
        }
        return results;
    }

    /// <summary>Runs the operation sequentially, after a warm-up that is not measured.</summary>
    public static async Task<Latency> MeasureAsync(int warmup, int count, Func<int, Task> operation)
    {
        for (var i = 0; i < warmup; i++)
            await operation(i);
        var latency = new Latency();
        latency._total.Start();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await operation(warmup + i);
            latency._micros.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        latency._total.Stop();
        return latency;
    }
}
