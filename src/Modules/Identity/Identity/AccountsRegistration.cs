using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Modules.Identity.ApiKeys;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Me;
using Monolith.Modules.Identity.Migrations;
using Monolith.Modules.Identity.RoleAdmin;
using Monolith.Modules.Identity.UserAdmin;
using Monolith.Shared.Infrastructure.Idempotency;
using Monolith.Shared.Infrastructure.Migrations;
using Monolith.Shared.Infrastructure.RateLimiting;

namespace Monolith.Modules.Identity;

/// <summary>
/// API keys, the users/roles admin API and <c>/me</c>: registered and mapped from <see cref="IdentityModule"/> in one
/// line each, so they stay apart from the OAuth server's wiring.
/// </summary>
internal static class AccountsRegistration
{
    /// <summary>Rate-limit policies, overridable in <c>RateLimiting:Policies:&lt;name&gt;</c>.</summary>
    public const string AdminPolicy = "identity-admin";
    public const string MePolicy = "identity-me";

    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatorsFromAssemblyContaining<IdentityDb>(ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton<KnownPermissions>();
        services.AddRateLimitPolicy(AdminPolicy, permitLimit: 120, TimeSpan.FromSeconds(10));
        services.AddRateLimitPolicy(MePolicy, permitLimit: 300, TimeSpan.FromSeconds(10));

        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<IMigration, M020_ApiKeyIndexes>();
        services.AddSingleton<IMigration>(new IdempotencyKeysMigration(IdentityModule.Name, 21));
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddSingleton(ApiKeyAuthenticationHandler.Selector);
        services.Configure<OpenApiOptions>("v1", ApiKeyOpenApi.Configure);
        return services;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder identity)
    {
        identity.MapApiKeys();
        identity.MapUserAdmin();
        identity.MapRoleAdmin();
        identity.MapMe();
        return identity;
    }
}
