using System.Globalization;
using Monolith.Shared.Infrastructure.Migrations;
using Monolith.Shared.Infrastructure.Modules;
using Monolith.Shared.Infrastructure.SoftDelete;

namespace Monolith.Host.Cli;

/// <summary>
/// Operator commands run instead of serving: <c>migrate up|down|status [--module X] [--to N]</c>, <c>seed</c>,
/// <c>purge</c>. Anything else starts the web host.
/// </summary>
internal sealed record HostCommand(string Name, string? Action, string? Module, int? To)
{
    private static readonly string[] Names = ["migrate", "seed", "purge"];

    public static HostCommand? Parse(string[] args, out string[] hostArgs)
    {
        hostArgs = args;
        if (args.Length == 0 || !Names.Contains(args[0], StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var name = args[0].ToLowerInvariant();
        var first = 1;
        string? action = null, module = null;
        if (name == "migrate" && args.Length > 1 && !args[1].StartsWith('-'))
        {
            action = args[1];
            first = 2;
        }

        int? to = null;
        var rest = new List<string>();
        for (var i = first; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--module" when i + 1 < args.Length:
                    module = args[++i];
                    break;
                case "--to" when i + 1 < args.Length:
                    to = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    rest.Add(args[i]); // host settings such as --environment or --ConnectionStrings:Mongo=...
                    break;
            }
        }

        hostArgs = [.. rest];
        return new HostCommand(name, action?.ToLowerInvariant(), module, to);
    }

    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var migrations = sp.GetRequiredService<MigrationRunner>();
        switch (Name, Action)
        {
            case ("migrate", "up"):
                Print(output, "applied", await migrations.UpAsync(Module, To, ct));
                return 0;
            case ("migrate", "down"):
                Print(output, "reverted", await migrations.DownAsync(Module, To, ct));
                return 0;
            case ("migrate", "status"):
                foreach (var s in await migrations.StatusAsync(Module, ct))
                {
                    await output.WriteLineAsync($"{s.Module,-12} {s.Version,4}  {(s.AppliedAt is { } at ? "applied " + at.ToString("u", CultureInfo.InvariantCulture) : "pending"),-28} {s.Description}");
                }

                return 0;
            case ("seed", null):
                await migrations.UpAsync(null, null, ct);
                foreach (var seeder in sp.GetServices<IModuleSeeder>())
                {
                    try
                    {
                        await output.WriteLineAsync($"{seeder.Module}: {await seeder.SeedAsync(ct)} documents inserted");
                    }
                    catch (InvalidOperationException e)
                    {
                        // A seeder's refusal (e.g. a required secret not configured) is an operator error, not a crash.
                        await output.WriteLineAsync($"{seeder.Module}: seed failed: {e.Message}");
                        return 1;
                    }
                }

                return 0;
            case ("purge", null):
                await output.WriteLineAsync($"{await sp.GetRequiredService<SoftDeletePurger>().PurgeAsync(ct)} soft-deleted documents purged");
                return 0;
            default:
                await output.WriteLineAsync("usage: migrate up|down|status [--module X] [--to N] | seed | purge");
                return 2;
        }
    }

    private static void Print(TextWriter output, string verb, IReadOnlyList<MigrationStatus> done)
    {
        if (done.Count == 0)
        {
            output.WriteLine($"nothing {verb}");
        }

        foreach (var m in done)
        {
            output.WriteLine($"{verb} {m.Module} {m.Version} {m.Description}");
        }
    }
}
