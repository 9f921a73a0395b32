using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Monolith.Modules.Identity.OpenId;
using Monolith.Modules.Identity.OpenId.Stores;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Monolith.Modules.Identity.Clients;

/// <summary>A new OAuth client. <c>type</c>: public (browser or mobile app, PKCE) or confidential (has a secret).</summary>
internal sealed record ClientInput(
    string? ClientId,
    string? DisplayName,
    string? Type,
    string? Consent,
    IReadOnlyList<string>? GrantTypes,
    IReadOnlyList<string>? Scopes,
    IReadOnlyList<string>? RedirectUris,
    IReadOnlyList<string>? PostLogoutRedirectUris);

internal sealed record ClientResponse(
    string ClientId,
    string? DisplayName,
    string Type,
    string Consent,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris);

/// <summary>Answer to a creation or a secret rotation: the secret appears here once and is stored only hashed.</summary>
internal sealed record ClientWithSecret(ClientResponse Client, string? ClientSecret);

internal sealed record ClientPage(IReadOnlyList<ClientResponse> Data, string? NextCursor, bool HasMore);

internal static class ClientMapping
{
    public static readonly string[] GrantTypeNames = [OpenIddictConstants.GrantTypes.AuthorizationCode, OpenIddictConstants.GrantTypes.RefreshToken, OpenIddictConstants.GrantTypes.ClientCredentials];
    public static readonly string[] IdentityScopes = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess];

    public static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static OpenIddictApplicationDescriptor ToDescriptor(ClientInput input)
    {
        var grants = input.GrantTypes ?? [];
        var scopes = input.Scopes ?? [];
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = input.ClientId,
            DisplayName = input.DisplayName ?? input.ClientId,
            ClientType = input.Type,
            ConsentType = input.Consent ?? ConsentTypes.Explicit,
            ApplicationType = input.Type == ClientTypes.Public ? ApplicationTypes.Web : null,
        };
        descriptor.Permissions.Add(Permissions.Endpoints.Token);
        descriptor.Permissions.Add(Permissions.Endpoints.Revocation);
        if (input.Type == ClientTypes.Confidential)
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Introspection);
        }

        foreach (var grant in grants)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.GrantType + grant);
        }

        if (grants.Contains(OpenIddictConstants.GrantTypes.AuthorizationCode))
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Authorization);
            descriptor.Permissions.Add(Permissions.Endpoints.EndSession);
            descriptor.Permissions.Add(Permissions.ResponseTypes.Code);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }

        foreach (var scope in scopes.Where(s => s is not (Scopes.OpenId or Scopes.OfflineAccess)))
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        foreach (var uri in input.RedirectUris ?? [])
        {
            descriptor.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }

        foreach (var uri in input.PostLogoutRedirectUris ?? [])
        {
            descriptor.PostLogoutRedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }

        return descriptor;
    }

    public static ClientResponse ToResponse(OidcApplication application) => new(
        application.ClientId ?? "",
        application.DisplayName,
        application.ClientType ?? ClientTypes.Public,
        application.ConsentType ?? ConsentTypes.Explicit,
        application.Permissions.Where(p => p.StartsWith(Permissions.Prefixes.GrantType, StringComparison.Ordinal))
            .Select(p => p[Permissions.Prefixes.GrantType.Length..]).ToList(),
        application.Permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
            .Select(p => p[Permissions.Prefixes.Scope.Length..]).ToList(),
        application.RedirectUris,
        application.PostLogoutRedirectUris);

    /// <summary>Absolute https URIs, or http on a loopback host (development SPAs and native apps).</summary>
    public static bool IsAcceptableRedirect(string? uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && string.IsNullOrEmpty(parsed.Fragment) &&
        (parsed.Scheme == Uri.UriSchemeHttps || (parsed.Scheme == Uri.UriSchemeHttp && parsed.IsLoopback));

    public static bool IsKnownScope(ApiScopes apiScopes, string scope) => IdentityScopes.Contains(scope) || apiScopes.Contains(scope);
}
