using System.Text;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Conformance;

/// <summary>
/// The unified-format CRUD spec tests (shared/mongo-spec/crud-unified), a stretch goal: runs what the partial
/// runner supports and reports the pass rate (in crud-unified-report.txt beside the test binaries and as a
/// diagnostic message). It fails only when the folder is missing or nothing could run.
/// </summary>
public sealed class UnifiedCrudSpecTests(ServerFixture server)
{
    [Fact(Timeout = 240_000)]
    public async Task Reports_the_pass_rate_of_the_unified_CRUD_spec_tests()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = SpecFolder.Require("crud-unified");
        var version = await ServerVersion.ReadAsync(server.Client, ct);
        var runner = new UnifiedSpecRunner(server.ConnectionString, version);
        var results = new List<UnifiedSpecRunner.Result>();
        foreach (var file in SpecFolder.JsonFiles(folder))
            results.AddRange(await runner.RunFileAsync(folder, file, ct));

        int Count(UnifiedSpecRunner.Status s) => results.Count(r => r.Status == s);
        var (passed, failed, unsupported, skipped) = (Count(UnifiedSpecRunner.Status.Passed), Count(UnifiedSpecRunner.Status.Failed),
            Count(UnifiedSpecRunner.Status.Unsupported), Count(UnifiedSpecRunner.Status.Skipped));
        var ran = passed + failed;
        var summary = $"crud-unified: {passed} of {ran} run passed ({(ran == 0 ? 0 : 100.0 * passed / ran):0.0}%); " +
                      $"{unsupported} not supported by the runner, {skipped} skipped (server version {version} / topology), {results.Count} in all";
        var report = new StringBuilder(summary).AppendLine();
        foreach (var r in results.Where(r => r.Status != UnifiedSpecRunner.Status.Passed).OrderBy(r => r.Status))
            report.AppendLine($"{r.Status.ToString().ToUpperInvariant()} {r.File} :: {r.Test} -- {r.Reason}");
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "crud-unified-report.txt"), report.ToString(), ct);
        TestContext.Current.SendDiagnosticMessage(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());

        Assert.True(ran > 0, "no unified test could run: " + summary);
    }
}
