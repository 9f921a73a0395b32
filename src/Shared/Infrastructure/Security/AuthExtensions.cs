using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Monolith.Shared.Infrastructure.Security;

/// <summary>
/// A module's claim on a request's credentials: returns the authentication scheme that handles them
/// (e.g. <c>Authorization: Bearer</c> → the JWT validation scheme, <c>X-Api-Key</c> → the API key scheme), or null.
/// </summary>
public sealed record AuthenticationSchemeSelector(string Name, Func<HttpContext, string?> Select);

/// <summary>A <c>WWW-Authenticate</c> challenge sent with every 401 of a request that carried no credentials (e.g. <c>Bearer</c>).</summary>
public sealed record AuthenticationChallenge(string Value);

public static class AuthExtensions
{
    /// <summary>The default scheme: forwards each request to the scheme its credentials belong to.</summary>
    public const string PlatformScheme = "Platform";

    public static IServiceCollection AddPlatformAuth(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var testScheme = configuration.GetValue<bool>("Auth:TestScheme:Enabled");
        if (testScheme && environment.IsProduction())
        {
            throw new InvalidOperationException("Auth:TestScheme:Enabled must not be set in Production.");
        }

        var auth = services.AddAuthentication(PlatformScheme)
            .AddPolicyScheme(PlatformScheme, "Platform", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, NoCredentialsAuthenticationHandler>(NoCredentialsAuthenticationHandler.SchemeName, null);
        if (testScheme)
        {
            auth.AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
            services.AddSingleton(new AuthenticationSchemeSelector(TestAuthenticationHandler.SchemeName, http =>
                http.Request.Headers.Authorization.ToString().StartsWith(TestAuthenticationHandler.SchemeName + " ", StringComparison.Ordinal)
                    ? TestAuthenticationHandler.SchemeName
                    : null));
        }

        services.AddAuthorization();
        return services;
    }

    private static string SelectScheme(HttpContext http)
    {
        foreach (var selector in http.RequestServices.GetServices<AuthenticationSchemeSelector>())
        {
            if (selector.Select(http) is { } scheme)
            {
                return scheme;
            }
        }

        return NoCredentialsAuthenticationHandler.SchemeName;
    }
}
