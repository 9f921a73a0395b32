using Microsoft.AspNetCore.Identity;
using MongoDB.Driver;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Infrastructure.Errors;

namespace Monolith.Modules.Identity.UserAdmin;

internal static class UserGuards
{
    public static async Task<User> LoadLiveAsync(UserManager<User> users, string id, long? expectedVersion = null)
    {
        var user = await users.FindByIdAsync(id) ?? throw AppException.NotFound("User", id);
        if (expectedVersion is { } expected && expected != user.Version)
        {
            throw AppException.PreconditionFailed();
        }

        return user;
    }

    /// <summary>The roles as stored (their canonical spelling); unknown names are a 400 on <c>roles</c>.</summary>
    public static async Task<List<string>> ResolveRolesAsync(IdentityDb db, IReadOnlyList<string>? names, CancellationToken ct)
    {
        var wanted = (names ?? []).Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        var normalized = wanted.Select(n => n.ToUpperInvariant()).ToList();
        var roles = await db.Roles.Find(Builders<Role>.Filter.In(r => r.NormalizedName, normalized)).ToListAsync(ct);
        var unknown = wanted.Where(n => !roles.Any(r => r.NormalizedName == n.ToUpperInvariant())).ToList();
        if (unknown.Count > 0)
        {
            throw AppException.Validation("roles", $"Unknown role(s): {string.Join(", ", unknown)}.");
        }

        return wanted.Select(n => roles.First(r => r.NormalizedName == n.ToUpperInvariant()).Name).ToList();
    }
}
