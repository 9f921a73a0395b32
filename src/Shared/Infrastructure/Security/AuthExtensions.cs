using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Monolith.Shared.Infrastructure.Security;

public static class AuthExtensions
{
    public static IServiceCollection AddPlatformAuth(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var testScheme = configuration.GetValue<bool>("Auth:TestScheme:Enabled");
        if (testScheme && environment.IsProduction())
        {
            throw new InvalidOperationException("Auth:TestScheme:Enabled must not be set in Production.");
        }

        var scheme = testScheme ? TestAuthenticationHandler.SchemeName : NoCredentialsAuthenticationHandler.SchemeName;
        var auth = services.AddAuthentication(scheme);
        if (testScheme)
        {
            auth.AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
        }
        else
        {
            auth.AddScheme<AuthenticationSchemeOptions, NoCredentialsAuthenticationHandler>(NoCredentialsAuthenticationHandler.SchemeName, null);
        }

        services.AddAuthorization();
        return services;
    }
}
