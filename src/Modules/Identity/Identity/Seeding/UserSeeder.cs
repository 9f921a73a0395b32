using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Infrastructure.Modules;
using Monolith.Shared.Infrastructure.Security;

namespace Monolith.Modules.Identity.Seeding;

/// <summary>
/// Roles <c>admin</c> (every permission the host's modules declare) and <c>member</c> (none), and the admin user from
/// <c>Identity:Seed</c>. Idempotent: existing roles get newly declared permissions, an existing admin is left alone.
/// </summary>
internal sealed class UserSeeder(
    UserManager<User> users, RoleManager<Role> roles, IServiceProvider services, IOptions<IdentitySeedOptions> options) : IModuleSeeder
{
    public const string AdminRole = "admin";
    public const string MemberRole = "member";

    public string Module => IdentityModule.Name;

    public async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        var inserted = 0;
        inserted += await EnsureRoleAsync(AdminRole, "Everything", Permissions.All(services));
        inserted += await EnsureRoleAsync(MemberRole, "A signed-in user with no extra rights", []);

        var seed = options.Value;
        if (await users.FindByEmailAsync(seed.AdminEmail) is not null)
        {
            return inserted;
        }

        if (string.IsNullOrWhiteSpace(seed.AdminPassword))
        {
            throw new InvalidOperationException(
                $"{IdentitySeedOptions.Section}:AdminPassword is required to seed the admin user {seed.AdminEmail} (set it by environment variable, e.g. Identity__Seed__AdminPassword).");
        }

        var admin = new User { UserName = seed.AdminEmail, Email = seed.AdminEmail, EmailConfirmed = true, DisplayName = "Administrator" };
        Check(await users.CreateAsync(admin, seed.AdminPassword), "create the admin user");
        Check(await users.AddToRoleAsync(admin, AdminRole), "give the admin user its role");
        return inserted + 1;
    }

    private async Task<int> EnsureRoleAsync(string name, string description, IReadOnlyList<string> permissions)
    {
        var role = await roles.FindByNameAsync(name);
        if (role is null)
        {
            Check(await roles.CreateAsync(new Role { Name = name, Description = description, Permissions = [.. permissions] }), $"create role {name}");
            return 1;
        }

        var missing = permissions.Except(role.Permissions, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 && name == AdminRole)
        {
            role.Permissions.AddRange(missing);
            Check(await roles.UpdateAsync(role), $"update role {name}");
        }

        return 0;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Seeding could not {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
