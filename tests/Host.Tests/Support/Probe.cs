using System.Diagnostics;

namespace Monolith.Host.Tests.Support;

/// <summary>Waits for a condition by polling it, never with a fixed sleep.</summary>
internal static class Probe
{
    /// <summary>Polls until the condition holds; fails the test with a description of the last state after the timeout.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Not reached within {timeout.TotalSeconds:0.#} s: {describe()}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        }
    }
}
