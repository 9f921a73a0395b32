using Monolith.Shared.Infrastructure.Mongo;

namespace Monolith.Shared.Infrastructure.Migrations;

/// <summary>One versioned, reversible change to a module's collections (indexes, backfills).</summary>
public interface IMigration
{
    string Module { get; }

    int Version { get; }

    string Description { get; }

    Task UpAsync(ModuleDatabase database, CancellationToken cancellationToken);

    Task DownAsync(ModuleDatabase database, CancellationToken cancellationToken);
}
