using MongoDB.Driver;
using Monolith.Modules.Identity.Domain;

namespace Monolith.Modules.Identity.Users;

/// <summary>A user's permissions: the union of what the user's roles grant.</summary>
internal sealed class UserPermissions(IdentityDb db)
{
    public async Task<IReadOnlyList<string>> ForAsync(User user, CancellationToken cancellationToken)
    {
        if (user.Roles.Count == 0)
        {
            return [];
        }

        var roles = await db.Roles.Find(Builders<Role>.Filter.In(r => r.Name, user.Roles)).ToListAsync(cancellationToken);
        return roles.SelectMany(r => r.Permissions).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }
}
