using System.Diagnostics;
using Monolith.Host.Tests.Support;
using Newtonsoft.Json.Linq;
using Snapshooter.Xunit3;

namespace Monolith.Host.Tests.Platform;

public sealed class OpenApiTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    [Fact]
    public async Task The_openapi_document_matches_its_snapshot()
    {
        var json = await app.Anonymous().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        Snapshot.Match(JToken.Parse(json));
    }

    /// <summary>Runs <c>npx @redocly/cli lint</c> (recommended rules) on the served document; needs node and the npm registry.</summary>
    [Fact]
    public async Task The_openapi_document_lints_clean_with_redocly()
    {
        var json = await app.Anonymous().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        var file = Path.Combine(Path.GetTempPath(), $"monolith-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json, TestContext.Current.CancellationToken);
        try
        {
            var config = Path.Combine(AppContext.BaseDirectory, "redocly.yaml");
            var start = new ProcessStartInfo("npx", ["--yes", "@redocly/cli@2.77.0", "lint", file, "--config", config, "--format", "json"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            var report = await stdout;
            Assert.True(process.ExitCode == 0, report + await stderr);
            var totals = JToken.Parse(report)["totals"]!;
            Assert.True((int)totals["errors"]! == 0 && (int)totals["warnings"]! == 0, report);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
