using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Contracts;
using Monolith.Modules.Identity.Domain;
using Monolith.Modules.Identity.Seeding;
using Monolith.Shared.Infrastructure.Errors;

namespace Monolith.Modules.Identity.RoleAdmin;

internal static class RoleGuards
{
    public static async Task<Role> LoadAsync(RoleManager<Role> roles, string id, long? expectedVersion = null)
    {
        var role = await roles.FindByIdAsync(id) ?? throw AppException.NotFound("Role", id);
        if (expectedVersion is { } expected && expected != role.Version)
        {
            throw AppException.PreconditionFailed();
        }

        return role;
    }

    public static bool IsAdmin(Role role) => string.Equals(role.Name, UserSeeder.AdminRole, StringComparison.OrdinalIgnoreCase);

    /// <summary>The admin role must keep identity.admin, or nobody could administer identity any more.</summary>
    public static void EnsureAdminKeepsAdministration(Role role, IReadOnlyList<string> permissions)
    {
        if (IsAdmin(role) && !permissions.Contains(IdentityPermissions.Admin, StringComparer.Ordinal))
        {
            throw AppException.Conflict($"The '{role.Name}' role must keep the {IdentityPermissions.Admin} permission.");
        }
    }

    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> KnownPermissionsOnly<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule, KnownPermissions known) =>
        rule.NotNull()
            .Must(p => p is null || p.Count <= 100).WithMessage("At most 100 permissions.")
            .Must(p => p is null || p.All(known.Contains)).WithMessage((_, p) => known.Unknown(p ?? []));

    public static List<string> Normalize(IReadOnlyList<string> permissions) =>
        permissions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
