using Microsoft.Extensions.DependencyInjection;

namespace Monolith.Shared.Infrastructure.Security;

/// <summary>Endpoints require permissions (e.g. <c>catalog.write</c>); each permission is a policy of the same name.</summary>
public static class Permissions
{
    public const string ClaimType = "permission";

    public static IServiceCollection AddPermissionPolicies(this IServiceCollection services, params string[] permissions)
    {
        var builder = services.AddAuthorizationBuilder();
        foreach (var permission in permissions)
        {
            builder.AddPolicy(permission, p => p.RequireAuthenticatedUser().RequireClaim(ClaimType, permission));
        }

        return services;
    }
}
