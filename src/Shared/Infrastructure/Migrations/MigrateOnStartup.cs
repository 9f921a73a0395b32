using Microsoft.Extensions.Hosting;

namespace Monolith.Shared.Infrastructure.Migrations;

/// <summary>Applies pending Up migrations before the host starts serving (enabled in Development and tests).</summary>
internal sealed class MigrateOnStartup(MigrationRunner runner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runner.UpAsync(null, null, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
