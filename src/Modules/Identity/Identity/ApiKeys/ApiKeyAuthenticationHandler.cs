using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.Security;

namespace Monolith.Modules.Identity.ApiKeys;

/// <summary>
/// Scheme <c>ApiKey</c>: <c>X-Api-Key: mk_&lt;prefix&gt;_&lt;secret&gt;</c> signs in as <c>apikey:&lt;id&gt;</c> with the key's
/// scopes as permissions. Malformed, unknown, expired or revoked keys fail; the challenge is a 401 in the error shape
/// with <c>WWW-Authenticate: ApiKey</c>. The key itself is never logged.
/// </summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore store,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string SubjectPrefix = "apikey:";

    private readonly ILogger log = loggerFactory.CreateLogger<ApiKeyAuthenticationHandler>();

    /// <summary>Claims requests that carry an API key and no Authorization header.</summary>
    public static AuthenticationSchemeSelector Selector { get; } = new(SchemeName, http =>
        http.Request.Headers.ContainsKey(HeaderName) && !http.Request.Headers.ContainsKey(HeaderNames.Authorization) ? SchemeName : null);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[HeaderName].ToString();
        if (key.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (ApiKeySecret.PrefixOf(key) is not { } prefix)
        {
            LogRejected(log, "(malformed)", "malformed");
            return AuthenticateResult.Fail("Malformed API key.");
        }

        var entry = await store.FindByPrefixAsync(prefix, Context.RequestAborted);
        if (entry is null || !ApiKeySecret.Matches(key, entry.SecretHash))
        {
            LogRejected(log, prefix, "unknown");
            return AuthenticateResult.Fail("Unknown API key.");
        }

        if (entry.RevokedAt is not null)
        {
            LogRejected(log, prefix, "revoked");
            return AuthenticateResult.Fail("Revoked API key.");
        }

        if (entry.ExpiresAt is { } expiresAt && expiresAt <= clock.GetUtcNow())
        {
            LogRejected(log, prefix, "expired");
            return AuthenticateResult.Fail("Expired API key.");
        }

        await store.TouchAsync(entry.Id, Context.RequestAborted);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, SubjectPrefix + entry.Id),
            new(ClaimTypes.Name, SubjectPrefix + entry.Id),
        };
        claims.AddRange(entry.Scopes.Select(s => new Claim(Permissions.ClaimType, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = SchemeName;
        await ProblemShape.WriteAsync(Context, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
            "The API key is malformed, unknown, expired or revoked.");
    }

    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "API key {KeyPrefix} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string keyPrefix, string reason);
}
