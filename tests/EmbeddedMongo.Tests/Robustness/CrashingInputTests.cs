using MongoDB.Bson;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Robustness;

/// <summary>
/// Input that could crash a server process outright (deep recursion overflows the stack, which .NET cannot
/// catch). Run against the standalone server in a child process, so a crash fails only this test.
/// </summary>
public sealed class CrashingInputTests
{
    [Theory(Timeout = 90_000)]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public async Task A_deeply_nested_document_gets_an_error_and_does_not_crash_the_server(int depth)
    {
        var ct = TestContext.Current.CancellationToken;
        using var server = await StandaloneServerProcess.StartAsync(ct);
        var message = BadInputCases.InsertRaw("deep_nesting", "deep", BadInputCases.Nested(depth));

        using (var connection = await RawConnection.OpenAsync(server.ConnectionString, ct))
        {
            if (await connection.TrySendAsync(message, ct) && await connection.ReadReplyAsync(ct) is { } reply)
            {
                var document = reply.Document();
                Assert.True(document.GetValue("ok", 0).ToDouble() == 0 || document.Contains("writeErrors"),
                    $"a document nested {depth} levels deep was accepted: {document.ToString()[..Math.Min(300, document.ToString().Length)]}");
            }
        }

        Assert.False(server.HasExited, $"the server died on a document nested {depth} levels deep: {server.Describe()}");
        await server.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(5), ct);
    }
}
