using System.Collections.Concurrent;
using Hangfire;

namespace Monolith.EmbeddedMongo.Tests.Compatibility;

/// <summary>Jobs that Hangfire runs in this process; each run of a test uses its own key, so tests stay independent.</summary>
public static class HangfireJobs
{
    private static readonly ConcurrentDictionary<string, int> Executions = new();

    public static int ExecutionsOf(string key) => Executions.GetValueOrDefault(key);

    public static void Record(string key) => Executions.AddOrUpdate(key, 1, (_, n) => n + 1);

    /// <summary>Throws on its first two executions, succeeds on the third; retried after one second.</summary>
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [1, 1, 1])]
    public static void FailTwiceThenSucceed(string key)
    {
        var attempt = Executions.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (attempt <= 2)
            throw new InvalidOperationException($"Deliberate failure {attempt} of {key}");
    }
}
