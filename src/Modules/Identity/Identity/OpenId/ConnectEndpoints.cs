using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Monolith.Modules.Identity.Account;
using Monolith.Modules.Identity.Domain;
using Monolith.Modules.Identity.Users;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Monolith.Modules.Identity.OpenId;

/// <summary>
/// The protocol endpoints OpenIddict passes through to us, after it has validated the request: authorize (sign-in and
/// consent), token (what goes into the tokens), userinfo and end session. Discovery, JWKS, introspection and
/// revocation are answered by OpenIddict itself.
/// </summary>
internal static class ConnectEndpoints
{
    private const string Server = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static void MapConnect(IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("").ExcludeFromDescription();
        connect.MapMethods(OidcServer.AuthorizePath, ["GET", "POST"], (Delegate)Authorize);
        connect.MapPost(OidcServer.TokenPath, Token);
        connect.MapMethods(OidcServer.UserInfoPath, ["GET", "POST"], (Delegate)UserInfo);
        connect.MapMethods(OidcServer.EndSessionPath, ["GET", "POST"], (Delegate)EndSession);
    }

    private static async Task<IResult> Authorize(
        HttpContext http, UserManager<User> users, UserPermissions permissions, IOpenIddictApplicationManager applications,
        IOpenIddictAuthorizationManager authorizations, ApiScopes apiScopes, IAntiforgery antiforgery)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var cookie = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = cookie.Succeeded ? await users.GetUserAsync(cookie.Principal) : null;
        var reauthenticate = request.HasPromptValue(PromptValues.Login) || SignInOlderThanMaxAge(cookie, request.MaxAge, http);
        if (user is null || reauthenticate || !await SignInStillAllowed(users, user))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back to this very request once signed in (a POSTed consent form is replayed as a GET with its parameters),
            // without prompt=login and max_age, which the fresh sign-in has just satisfied (else it would loop).
            var parameters = (http.Request.HasFormContentType
                    ? http.Request.Form.Where(p => p.Key is not ("__RequestVerificationToken" or "decision"))
                    : (IEnumerable<KeyValuePair<string, StringValues>>)http.Request.Query)
                .Where(p => p.Key is not (Parameters.Prompt or Parameters.MaxAge))
                .ToList();
            var remainingPrompt = string.Join(' ', request.GetPromptValues().Remove(PromptValues.Login));
            if (remainingPrompt.Length > 0)
            {
                parameters.Add(new(Parameters.Prompt, remainingPrompt));
            }

            var returnUrl = http.Request.PathBase + http.Request.Path + QueryString.Create(parameters);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [IdentityConstants.ApplicationScheme]);
        }

        var application = await applications.FindByClientIdAsync(request.ClientId!)
            ?? throw new InvalidOperationException("OpenIddict validated the client, yet it is gone.");
        var applicationId = (await applications.GetIdAsync(application))!;
        var scopes = request.GetScopes();
        var existing = await ToListAsync(authorizations.FindAsync(user.Id, applicationId, Statuses.Valid, AuthorizationTypes.Permanent, scopes));
        var consentType = await applications.GetConsentTypeAsync(application);

        var needsConsent = consentType == ConsentTypes.Explicit && (existing.Count == 0 || request.HasPromptValue(PromptValues.Consent));
        if (consentType == ConsentTypes.External && existing.Count == 0)
        {
            return Forbid(Errors.ConsentRequired, "An administrator must authorize this client for the user first.");
        }

        if (needsConsent)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.ConsentRequired, "Interactive consent is required.");
            }

            var decision = http.Request.HasFormContentType ? http.Request.Form["decision"].ToString() : "";
            if (decision.Length == 0)
            {
                var displayName = await applications.GetDisplayNameAsync(application) ?? request.ClientId!;
                return Pages.Consent(http, antiforgery, displayName, scopes, http.Request.HasFormContentType ? http.Request.Form : http.Request.Query);
            }

            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Pages.BadRequest("The form expired; go back and try again.");
            }

            if (decision != "accept")
            {
                return Forbid(Errors.AccessDenied, "The user denied the request.");
            }
        }

        var principal = OidcPrincipals.ForUser(user, scopes, await permissions.ForAsync(user, http.RequestAborted), apiScopes);
        var authorization = existing.LastOrDefault() ?? await authorizations.CreateAsync(
            principal, user.Id, applicationId, AuthorizationTypes.Permanent, principal.GetScopes());
        principal.SetAuthorizationId(await authorizations.GetIdAsync(authorization));
        return Results.SignIn(principal, properties: null, authenticationScheme: Server);
    }

    private static async Task<IResult> Token(
        HttpContext http, UserManager<User> users, UserPermissions permissions, IOpenIddictApplicationManager applications, ApiScopes apiScopes)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!)
                ?? throw new InvalidOperationException("OpenIddict validated the client, yet it is gone.");
            return Results.SignIn(
                OidcPrincipals.ForClient(request.ClientId!, await applications.GetDisplayNameAsync(application), request.GetScopes(), apiScopes),
                properties: null, authenticationScheme: Server);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token was validated by OpenIddict; re-read the user so that a deleted, locked-out or
            // demoted user gets nothing more, and permissions follow the user's current roles.
            var result = await http.AuthenticateAsync(Server);
            var user = result.Principal?.GetClaim(Claims.Subject) is { } subject ? await users.FindByIdAsync(subject) : null;
            if (user is null || !await SignInStillAllowed(users, user))
            {
                return Forbid(Errors.InvalidGrant, "The user can no longer sign in.");
            }

            var principal = OidcPrincipals.ForUser(user, result.Principal!.GetScopes(), await permissions.ForAsync(user, http.RequestAborted), apiScopes);
            principal.SetAuthorizationId(result.Principal!.GetAuthorizationId());
            return Results.SignIn(principal, properties: null, authenticationScheme: Server);
        }

        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    private static async Task<IResult> UserInfo(HttpContext http, UserManager<User> users)
    {
        var result = await http.AuthenticateAsync(Server);
        var user = result.Principal?.GetClaim(Claims.Subject) is { } subject ? await users.FindByIdAsync(subject) : null;
        if (user is null)
        {
            return Results.Challenge(Properties(Errors.InvalidToken, "The user no longer exists."), [Server]);
        }

        var claims = new Dictionary<string, object>(StringComparer.Ordinal) { [Claims.Subject] = user.Id };
        var principal = result.Principal!;
        if (principal.HasScope(Scopes.Email))
        {
            claims[Claims.Email] = user.Email;
            claims[Claims.EmailVerified] = user.EmailConfirmed;
        }

        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = user.DisplayName ?? user.Email;
        }

        return Results.Json(claims);
    }

    /// <summary>Signs the user out of the sign-in cookie; OpenIddict redirects to the validated post-logout URI.</summary>
    private static async Task<IResult> EndSession(HttpContext http)
    {
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [Server]);
    }

    /// <summary>OIDC max_age: the sign-in is too old when the cookie was issued longer ago than the client allows.</summary>
    private static bool SignInOlderThanMaxAge(AuthenticateResult cookie, long? maxAge, HttpContext http) =>
        maxAge is { } seconds && cookie.Succeeded && cookie.Properties?.IssuedUtc is { } issued
        && http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow() - issued > TimeSpan.FromSeconds(seconds);

    private static async Task<bool> SignInStillAllowed(UserManager<User> users, User user) =>
        user.DeletedAt is null && !await users.IsLockedOutAsync(user);

    private static IResult Forbid(string error, string description) =>
        Results.Forbid(Properties(error, description), [Server]);

    private static AuthenticationProperties Properties(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });

    private static async Task<List<object>> ToListAsync(IAsyncEnumerable<object> source)
    {
        var list = new List<object>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
