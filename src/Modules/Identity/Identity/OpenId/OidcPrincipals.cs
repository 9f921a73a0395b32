using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Infrastructure.Security;
using PlatformPermissions = Monolith.Shared.Infrastructure.Security.Permissions;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Monolith.Modules.Identity.OpenId;

/// <summary>Builds the identities OpenIddict turns into tokens, and says which claim goes into which token.</summary>
internal static class OidcPrincipals
{
    /// <summary>A client acting for itself: its permissions are exactly the API scopes it was granted.</summary>
    public static ClaimsPrincipal ForClient(string clientId, string? displayName, IEnumerable<string> scopes, ApiScopes apiScopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, clientId);
        identity.SetClaim(Claims.Name, displayName ?? clientId);
        return Finish(identity, scopes.ToList(), scopes.Where(apiScopes.Contains));
    }

    /// <summary>A user through a client: granted API scopes ∩ the permissions the user's roles give.</summary>
    public static ClaimsPrincipal ForUser(User user, IEnumerable<string> scopes, IReadOnlyList<string> userPermissions, ApiScopes apiScopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.Id);
        identity.SetClaim(Claims.Email, user.Email);
        identity.SetClaim(Claims.EmailVerified, user.EmailConfirmed);
        identity.SetClaim(Claims.Name, user.DisplayName ?? user.Email);
        var granted = scopes.ToList();
        return Finish(identity, granted, granted.Where(s => apiScopes.Contains(s) && userPermissions.Contains(s, StringComparer.Ordinal)));
    }

    private static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

    private static ClaimsPrincipal Finish(ClaimsIdentity identity, List<string> scopes, IEnumerable<string> permissions)
    {
        identity.SetScopes(scopes);
        identity.SetResources(OidcOptions.ApiAudience);
        foreach (var permission in permissions.Distinct(StringComparer.Ordinal))
        {
            identity.AddClaim(new Claim(PlatformPermissions.ClaimType, permission));
        }

        identity.SetDestinations(claim => Destinations(claim, identity));
        return new ClaimsPrincipal(identity);
    }

    private static IEnumerable<string> Destinations(Claim claim, ClaimsIdentity identity) => claim.Type switch
    {
        Claims.Subject => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.Name when identity.HasScope(Scopes.Profile) =>
            [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.Email or Claims.EmailVerified when identity.HasScope(Scopes.Email) =>
            [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        PlatformPermissions.ClaimType => [OpenIddictConstants.Destinations.AccessToken],
        _ => [],
    };
}
