using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;
using Monolith.Shared.Infrastructure.Mongo;

namespace Monolith.Shared.Infrastructure.Migrations;

/// <summary>
/// Applies and reverts module migrations, recording each applied version in the module's own
/// <c>&lt;module&gt;.migrations</c> collection.
/// </summary>
public sealed partial class MigrationRunner(
    IEnumerable<IMigration> migrations, IServiceProvider services, TimeProvider clock, ILogger<MigrationRunner> logger)
{
    private const string Collection = "migrations";

    public IReadOnlyList<string> Modules =>
        migrations.Select(m => m.Module).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();

    public async Task<IReadOnlyList<MigrationStatus>> StatusAsync(string? module, CancellationToken ct)
    {
        var result = new List<MigrationStatus>();
        foreach (var name in Select(module))
        {
            var applied = await AppliedAsync(name, ct);
            result.AddRange(For(name).Select(m => new MigrationStatus(
                name, m.Version, m.Description, applied.TryGetValue(m.Version, out var a) ? a.AppliedAt : null)));
        }

        return result;
    }

    /// <summary>Applies pending migrations in version order, up to and including <paramref name="to"/> when given.</summary>
    public async Task<IReadOnlyList<MigrationStatus>> UpAsync(string? module, int? to, CancellationToken ct)
    {
        var done = new List<MigrationStatus>();
        foreach (var name in Select(module))
        {
            var db = Database(name);
            var applied = await AppliedAsync(name, ct);
            foreach (var migration in For(name).Where(m => !applied.ContainsKey(m.Version) && (to is null || m.Version <= to)))
            {
                await migration.UpAsync(db, ct);
                var record = new AppliedMigration { Id = migration.Version, Description = migration.Description, AppliedAt = clock.GetUtcNow() };
                // Insert, not upsert: a second runner racing on the same version fails here instead of double-recording.
                await db.Collection<AppliedMigration>(Collection).InsertOneAsync(record, cancellationToken: ct);
                LogApplied(logger, name, migration.Version, migration.Description);
                done.Add(new MigrationStatus(name, migration.Version, migration.Description, record.AppliedAt));
            }
        }

        return done;
    }

    /// <summary>
    /// Reverts applied migrations newest first: down to (but not including) <paramref name="to"/> when given,
    /// otherwise only the newest one of each selected module.
    /// </summary>
    public async Task<IReadOnlyList<MigrationStatus>> DownAsync(string? module, int? to, CancellationToken ct)
    {
        var done = new List<MigrationStatus>();
        foreach (var name in Select(module))
        {
            var db = Database(name);
            var applied = await AppliedAsync(name, ct);
            var candidates = For(name).Where(m => applied.ContainsKey(m.Version)).OrderByDescending(m => m.Version).ToList();
            var toRevert = to is null ? candidates.Take(1) : candidates.Where(m => m.Version > to);
            foreach (var migration in toRevert)
            {
                await migration.DownAsync(db, ct);
                await db.Collection<AppliedMigration>(Collection).DeleteOneAsync(r => r.Id == migration.Version, ct);
                LogReverted(logger, name, migration.Version, migration.Description);
                done.Add(new MigrationStatus(name, migration.Version, migration.Description, null));
            }
        }

        return done;
    }

    private IEnumerable<string> Select(string? module)
    {
        if (module is null)
        {
            return Modules;
        }

        var match = Modules.FirstOrDefault(m => string.Equals(m, module, StringComparison.OrdinalIgnoreCase));
        return match is null
            ? throw new ArgumentException($"No module '{module}' has migrations. Known: {string.Join(", ", Modules)}.")
            : [match];
    }

    private IEnumerable<IMigration> For(string module) =>
        migrations.Where(m => string.Equals(m.Module, module, StringComparison.OrdinalIgnoreCase)).OrderBy(m => m.Version);

    private ModuleDatabase Database(string module) => services.GetRequiredKeyedService<ModuleDatabase>(module);

    private async Task<Dictionary<int, AppliedMigration>> AppliedAsync(string module, CancellationToken ct)
    {
        var records = await Database(module).Collection<AppliedMigration>(Collection)
            .Find(FilterDefinition<AppliedMigration>.Empty).ToListAsync(ct);
        return records.ToDictionary(r => r.Id);
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Applied migration {Module} {Version} ({Description})")]
    private static partial void LogApplied(ILogger logger, string module, int version, string description);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Reverted migration {Module} {Version} ({Description})")]
    private static partial void LogReverted(ILogger logger, string module, int version, string description);
}
