using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Modules.Identity.Migrations;
using Monolith.Modules.Identity.OpenId.Stores;
using Monolith.Shared.Infrastructure.Migrations;

namespace Monolith.Modules.Identity.OpenId;

internal static class OidcStores
{
    /// <summary>OpenIddict's core (managers) on our own MongoDB stores; no Entity Framework.</summary>
    public static OpenIddictBuilder AddOidcStores(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OidcOptions>(configuration.GetSection(OidcOptions.Section));
        services.AddSingleton<OidcPruneService>();
        services.AddHostedService(sp => sp.GetRequiredService<OidcPruneService>());
        services.AddSingleton<OidcDb>();
        services.AddSingleton<OidcEntryCache>();
        services.AddSingleton<IMigration, M010_OidcIndexes>();
        var builder = services.AddOpenIddict();
        builder.AddCore(o => o
            .SetDefaultApplicationEntity<OidcApplication>()
            .SetDefaultAuthorizationEntity<OidcAuthorization>()
            .SetDefaultScopeEntity<OidcScope>()
            .SetDefaultTokenEntity<OidcToken>()
            .ReplaceApplicationStore<OidcApplication, MongoApplicationStore>(ServiceLifetime.Scoped)
            .ReplaceAuthorizationStore<OidcAuthorization, MongoAuthorizationStore>(ServiceLifetime.Scoped)
            .ReplaceScopeStore<OidcScope, MongoScopeStore>(ServiceLifetime.Scoped)
            .ReplaceTokenStore<OidcToken, MongoTokenStore>(ServiceLifetime.Scoped));
        return builder;
    }
}
