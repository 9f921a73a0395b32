using Microsoft.Extensions.Options;
using Monolith.Modules.Identity.OpenId;
using Monolith.Shared.Infrastructure.Modules;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Monolith.Modules.Identity.Seeding;

/// <summary>
/// The API scopes (with audience <c>monolith-api</c>) and two clients: the first-party SPA <c>monolith-spa</c> (public,
/// code + PKCE + refresh, implicit consent) and the confidential <c>monolith-service</c> (client credentials, every API
/// scope). Idempotent: existing entries get the current redirect URIs, permissions and scopes; a secret is never reset.
/// </summary>
internal sealed class ClientSeeder(
    IOpenIddictApplicationManager applications, IOpenIddictScopeManager scopes, ApiScopes apiScopes, IOptions<IdentitySeedOptions> options) : IModuleSeeder
{
    public const string SpaClientId = "monolith-spa";
    public const string ServiceClientId = "monolith-service";

    public string Module => IdentityModule.Name;

    public async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        var seed = options.Value;
        if (string.IsNullOrWhiteSpace(seed.ServiceClientSecret))
        {
            throw new InvalidOperationException(
                $"{IdentitySeedOptions.Section}:ServiceClientSecret is required to seed the {ServiceClientId} client (set it by environment variable, e.g. Identity__Seed__ServiceClientSecret).");
        }

        var inserted = 0;
        foreach (var name in apiScopes.All)
        {
            var descriptor = new OpenIddictScopeDescriptor { Name = name, DisplayName = name, Resources = { OidcOptions.ApiAudience } };
            if (await scopes.FindByNameAsync(name, cancellationToken) is { } existing)
            {
                await scopes.UpdateAsync(existing, descriptor, cancellationToken);
            }
            else
            {
                await scopes.CreateAsync(descriptor, cancellationToken);
                inserted++;
            }
        }

        var spa = new OpenIddictApplicationDescriptor
        {
            ClientId = SpaClientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Implicit, // first party: no consent screen
            DisplayName = "Monolith web app",
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Email, Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        AddAll(spa.RedirectUris, seed.SpaRedirectUris);
        AddAll(spa.PostLogoutRedirectUris, seed.SpaPostLogoutRedirectUris);
        AddScopes(spa);
        inserted += await UpsertAsync(spa, secret: null, cancellationToken);

        var service = new OpenIddictApplicationDescriptor
        {
            ClientId = ServiceClientId,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Monolith service client",
            Permissions =
            {
                Permissions.Endpoints.Token, Permissions.Endpoints.Introspection, Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.ClientCredentials,
            },
        };
        AddScopes(service);
        inserted += await UpsertAsync(service, seed.ServiceClientSecret, cancellationToken);
        return inserted;
    }

    private void AddScopes(OpenIddictApplicationDescriptor descriptor)
    {
        foreach (var scope in apiScopes.All)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }
    }

    private async Task<int> UpsertAsync(OpenIddictApplicationDescriptor descriptor, string? secret, CancellationToken cancellationToken)
    {
        if (await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken) is not { } existing)
        {
            descriptor.ClientSecret = secret;
            await applications.CreateAsync(descriptor, cancellationToken);
            return 1;
        }

        // Keep the stored (hashed) secret: only the client admin API rotates it.
        var current = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(current, existing, cancellationToken);
        descriptor.ClientSecret = current.ClientSecret;
        await applications.UpdateAsync(existing, descriptor, cancellationToken);
        return 0;
    }

    private static void AddAll(HashSet<Uri> target, IEnumerable<string> uris)
    {
        foreach (var uri in uris)
        {
            target.Add(new Uri(uri, UriKind.Absolute));
        }
    }
}
