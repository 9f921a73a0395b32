using Monolith.Modules.Identity.Contracts;
using Monolith.Modules.Identity.Users;

namespace Monolith.Modules.Identity;

internal sealed class IdentityModuleApi(MongoUserStore users) : IIdentityModuleApi
{
    public async Task<UserProfile?> FindUserAsync(string userId, CancellationToken cancellationToken) =>
        await users.FindByIdAsync(userId, cancellationToken) is { } user
            ? new UserProfile(user.Id, user.Email, user.DisplayName, user.Roles, user.CreatedAt)
            : null;
}
