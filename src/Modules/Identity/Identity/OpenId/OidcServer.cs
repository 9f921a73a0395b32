using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Infrastructure.Security;
using PlatformPermissions = Monolith.Shared.Infrastructure.Security.Permissions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Monolith.Modules.Identity.OpenId;

/// <summary>
/// The OpenID Connect server (code + PKCE S256, client credentials, rolling refresh tokens; no implicit, no password
/// grant), token validation for the API (<c>Authorization: Bearer</c>), and the sign-in cookie the authorize endpoint uses.
/// </summary>
internal static class OidcServer
{
    public const string AuthorizePath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string UserInfoPath = "/connect/userinfo";
    public const string IntrospectionPath = "/connect/introspect";
    public const string RevocationPath = "/connect/revoke";
    public const string EndSessionPath = "/connect/endsession";
    public const string JwksPath = "/.well-known/jwks";
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";

    public static void AddOidcServer(this OpenIddictBuilder openIddict, IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() ?? new OidcOptions();
        services.AddSingleton<ApiScopes>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, OidcKeys>();
        services.AddSingleton<IValidateOptions<OidcOptions>, OidcKeys.Validation>();
        services.AddOptions<OidcOptions>().ValidateOnStart();
        services.AddOptions<OpenIddictServerOptions>().Configure<ApiScopes>((o, scopes) =>
        {
            foreach (var scope in scopes.All)
            {
                o.Scopes.Add(scope);
            }
        });
        services.AddOptions<OpenIddictServerAspNetCoreOptions>().Configure<IHostEnvironment>((o, environment) =>
            o.DisableTransportSecurityRequirement = OidcKeys.UsesGeneratedKeys(environment));

        openIddict.AddServer(o =>
        {
            o.SetAuthorizationEndpointUris(AuthorizePath[1..])
                .SetTokenEndpointUris(TokenPath[1..])
                .SetUserInfoEndpointUris(UserInfoPath[1..])
                .SetIntrospectionEndpointUris(IntrospectionPath[1..])
                .SetRevocationEndpointUris(RevocationPath[1..])
                .SetEndSessionEndpointUris(EndSessionPath[1..])
                .SetJsonWebKeySetEndpointUris(JwksPath[1..]);
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                .AllowClientCredentialsFlow()
                .AllowRefreshTokenFlow();
            o.Configure(server =>
            {
                // S256 only: "plain" sends the verifier in the clear on the front channel.
                server.CodeChallengeMethods.Clear();
                server.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
            });
            o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess);
            o.RegisterClaims(Claims.Subject, Claims.Name, Claims.Email, Claims.EmailVerified, PlatformPermissions.ClaimType);
            o.DisableAccessTokenEncryption();
            o.SetAccessTokenLifetime(settings.AccessTokenLifetime);
            o.SetRefreshTokenLifetime(settings.RefreshTokenLifetime);
            o.SetRefreshTokenReuseLeeway(settings.RefreshTokenReuseLeeway);
            o.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                .EnableUserInfoEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough();
        });

        openIddict.AddValidation(o =>
        {
            o.UseLocalServer();
            o.UseAspNetCore();
            o.AddAudiences(OidcOptions.ApiAudience);
            // GHSA-cxgj-hwwh-855g (OpenIddict < 7.9): authorization entry validation alone can be bypassed; checking each
            // token's own entry as well closes it (and makes revocation immediate). See docs/adr/0015.
            o.EnableTokenEntryValidation();
            o.EnableAuthorizationEntryValidation();
        });

        services.AddSingleton<ValidatedBearerTokens>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, CachedBearerHandler>(CachedBearerHandler.SchemeName, CachedBearerHandler.Configure);
        services.AddSingleton(new AuthenticationSchemeSelector(CachedBearerHandler.SchemeName, http =>
            http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? CachedBearerHandler.SchemeName
                : null));

        services.AddSingleton(new AuthenticationChallenge("Bearer"));

        // The sign-in cookie of /account/login, read only by the authorize and end-session endpoints (never by the API).
        new IdentityBuilder(typeof(User), typeof(Role), services).AddSignInManager();
        services.AddAuthentication().AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
        {
            o.LoginPath = LoginPath;
            o.LogoutPath = LogoutPath;
            o.Cookie.Name = "monolith.signin";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        }));
        services.AddAntiforgery(o => o.Cookie.Name = "monolith.antiforgery");
    }
}
