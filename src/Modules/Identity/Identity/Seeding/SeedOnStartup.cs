using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Monolith.Shared.Infrastructure.Modules;

namespace Monolith.Modules.Identity.Seeding;

/// <summary>Runs the identity seeders before the host serves, when <c>Identity:Seed:OnStartup</c> is set (Development).</summary>
internal sealed class SeedOnStartup(IServiceScopeFactory scopes, IOptions<IdentitySeedOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.OnStartup)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        foreach (var seeder in scope.ServiceProvider.GetServices<IModuleSeeder>().Where(s => s.Module == IdentityModule.Name))
        {
            await seeder.SeedAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
