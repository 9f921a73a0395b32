using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monolith.Modules.Identity.OpenId.Stores;
using OpenIddict.Validation.AspNetCore;

namespace Monolith.Modules.Identity.OpenId;

/// <summary>
/// Bearer tokens on the API: OpenIddict validates each token (signature, lifetime, audience, token and authorization
/// entries), and the result is kept for the entry cache's duration so repeated calls with the same token skip the
/// validation pipeline. The freshness rule is the entry cache's own (<see cref="OidcEntryCache"/>): any token or
/// authorization write in this process drops every kept result, so a local revocation is refused at once; another
/// instance's revocation is seen within <c>Identity:EntryCacheDuration</c>. Challenges and forbids go to OpenIddict.
/// </summary>
internal sealed class CachedBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    OidcEntryCache entries, ValidatedBearerTokens results, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    public static void Configure(AuthenticationSchemeOptions o)
    {
        o.ForwardChallenge = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
        o.ForwardForbid = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Request.Headers.Authorization.ToString();
        var now = clock.GetUtcNow();
        var generation = entries.Generation;
        if (entries.Enabled && results.TryGet(token, out var kept) && kept.Generation == generation && kept.Until > now)
        {
            return AuthenticateResult.Success(new AuthenticationTicket(kept.Ticket.Principal.Clone(), kept.Ticket.Properties, kept.Ticket.AuthenticationScheme));
        }

        var result = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (result.Succeeded && entries.Enabled)
        {
            var until = now + entries.Duration;
            if (result.Ticket.Properties.ExpiresUtc is { } expires && expires < until)
            {
                until = expires;
            }

            results.Set(token, new ValidatedBearerTokens.Validated(result.Ticket, until, generation));
        }

        return result;
    }
}

/// <summary>The validation results <see cref="CachedBearerHandler"/> keeps, per host (a singleton), by raw header value.</summary>
internal sealed class ValidatedBearerTokens
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, Validated> results = new(StringComparer.Ordinal);

    public bool TryGet(string header, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Validated? validated) =>
        results.TryGetValue(header, out validated);

    public void Set(string header, Validated validated)
    {
        if (results.Count >= MaxEntries)
        {
            results.Clear();
        }

        results[header] = validated;
    }

    internal sealed record Validated(AuthenticationTicket Ticket, DateTimeOffset Until, long Generation);
}
