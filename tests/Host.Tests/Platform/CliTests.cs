using System.Diagnostics;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Platform;

/// <summary>The operator commands, run as the real host process against a database of the test server.</summary>
public sealed class CliTests
{
    private readonly string database = TestDatabase.NewDatabaseName();

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var connectionString = await TestDatabase.ConnectionStringAsync();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Monolith.Host.dll"));
        foreach (var arg in args.Concat([
            "--environment", "Testing", "--contentRoot", AppContext.BaseDirectory, "--Logging:Console=false",
            $"--ConnectionStrings:Mongo={connectionString}", $"--Mongo:Database={database}",
        ]))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Migrate_up_down_and_status_work_from_the_command_line()
    {
        var status = await RunAsync("migrate", "status");
        Assert.Equal(0, status.ExitCode);
        Assert.Equal(3, status.Output.Split('\n').Count(l => l.StartsWith("catalog", StringComparison.Ordinal) && l.Contains("pending", StringComparison.Ordinal)));

        var up = await RunAsync("migrate", "up", "--module", "catalog", "--to", "2");
        Assert.Equal(0, up.ExitCode);
        Assert.Contains("applied catalog 2", up.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("applied catalog 3", up.Output, StringComparison.Ordinal);

        var rest = await RunAsync("migrate", "up");
        Assert.Contains("applied catalog 3", rest.Output, StringComparison.Ordinal);

        var down = await RunAsync("migrate", "down", "--to", "1");
        Assert.Equal(0, down.ExitCode);
        Assert.Contains("reverted catalog 3", down.Output, StringComparison.Ordinal);
        Assert.Contains("reverted catalog 2", down.Output, StringComparison.Ordinal);

        var after = await RunAsync("migrate", "status", "--module", "catalog");
        var lines = after.Output.Split('\n').Where(l => l.StartsWith("catalog", StringComparison.Ordinal)).ToList();
        Assert.Contains("applied", lines[0], StringComparison.Ordinal);
        Assert.Contains("pending", lines[1], StringComparison.Ordinal);
        Assert.Contains("pending", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_inserts_demo_data_once()
    {
        const string password = "--Identity:Seed:AdminPassword=Cli-Seed-Passw0rd";
        const string secret = "--Identity:Seed:ServiceClientSecret=cli-seed-service-secret";
        var first = await RunAsync("seed", password, secret);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("identity: 3 documents inserted", first.Output, StringComparison.Ordinal); // roles and the admin
        Assert.Contains("identity: 8 documents inserted", first.Output, StringComparison.Ordinal); // 6 API scopes, 2 clients
        Assert.Contains("catalog: 208 documents inserted", first.Output, StringComparison.Ordinal);
        var second = await RunAsync("seed", password, secret);
        Assert.Equal(2, second.Output.Split('\n').Count(l => l.StartsWith("identity: 0 documents inserted", StringComparison.Ordinal)));
        Assert.Contains("catalog: 0 documents inserted", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_without_an_admin_password_fails_with_a_clear_message()
    {
        var result = await RunAsync("seed");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Identity:Seed:AdminPassword is required", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_without_the_service_client_secret_fails_with_a_clear_message()
    {
        var result = await RunAsync("seed", "--Identity:Seed:AdminPassword=Cli-Seed-Passw0rd");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Identity:Seed:ServiceClientSecret is required", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_subcommand_prints_usage_and_fails()
    {
        var result = await RunAsync("migrate", "sideways");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage:", result.Output, StringComparison.Ordinal);
    }
}
