using Microsoft.Extensions.DependencyInjection;

namespace Monolith.Shared.Infrastructure.Security;

/// <summary>A module's permissions as registered: the identity module offers each as an API scope.</summary>
public sealed record ModulePermissions(IReadOnlyList<string> Names);

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

        services.AddSingleton(new ModulePermissions(permissions));
        return services;
    }

    /// <summary>Every permission the host's modules registered, in registration order.</summary>
    public static IReadOnlyList<string> All(IServiceProvider services) =>
        services.GetServices<ModulePermissions>().SelectMany(p => p.Names).Distinct(StringComparer.Ordinal).ToList();
}

public static class PrincipalExtensions
{
    /// <summary>Who the caller is, whichever scheme authenticated it: the name identifier, else the JWT <c>sub</c> claim.</summary>
    public static string? UserId(this System.Security.Claims.ClaimsPrincipal user) =>
        user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? user.FindFirst("sub")?.Value;
}
