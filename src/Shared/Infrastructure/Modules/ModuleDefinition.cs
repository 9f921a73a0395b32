using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Monolith.Shared.Infrastructure.Modules;

/// <summary>A module's two entry points, as the host lists them. <c>Modules:&lt;Name&gt;:Enabled=false</c> turns one off.</summary>
public sealed record ModuleDefinition(
    string Name,
    Action<IServiceCollection, IConfiguration> AddServices,
    Action<IEndpointRouteBuilder> MapEndpoints)
{
    public bool IsEnabled(IConfiguration configuration) => configuration.GetValue($"Modules:{Name}:Enabled", true);
}

/// <summary>A module's demo data, written by the <c>seed</c> command; must be idempotent.</summary>
public interface IModuleSeeder
{
    string Module { get; }

    Task<int> SeedAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Endpoints a module must serve outside <c>/api/v1</c> because a protocol fixes their paths (e.g. OpenID Connect's
/// <c>/connect/*</c> and <c>/.well-known/*</c>, the sign-in pages). Registered in DI; the platform maps them at the root.
/// </summary>
public sealed record RootEndpoints(string Module, Action<IEndpointRouteBuilder> Map);
