using System.Diagnostics;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Auth;

/// <summary>The standalone server refuses to listen on a non-loopback address without --auth.</summary>
public sealed class StandaloneBindTests
{
    [Fact]
    public async Task Non_loopback_bind_without_auth_exits_with_code_2_and_says_why()
    {
        var (exitCode, output) = await RunAsync("--port", "0", "--bind_ip_all");

        Assert.Equal(2, exitCode);
        Assert.Contains("Refusing to listen on 0.0.0.0 without --auth", output, StringComparison.Ordinal);
        Assert.Contains("--allow_unauthenticated_remote", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_documents_the_auth_flags()
    {
        var (exitCode, output) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--auth", output, StringComparison.Ordinal);
        Assert.Contains("--allow_unauthenticated_remote", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Monolith.EmbeddedMongo.Server.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The standalone server did not exit within 30 s: " + string.Join(' ', args));
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
