namespace Monolith.Shared.Infrastructure.Migrations;

public sealed record MigrationStatus(string Module, int Version, string Description, DateTimeOffset? AppliedAt);

internal sealed class AppliedMigration
{
    public int Id { get; set; }

    public string Description { get; set; } = "";

    public DateTimeOffset AppliedAt { get; set; }
}
