using Microsoft.AspNetCore.Identity;
using MongoDB.Driver;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Infrastructure.SoftDelete;

namespace Monolith.Modules.Identity.Users;

/// <summary>
/// ASP.NET Core Identity's user store on <c>identity.users</c>. Soft-deleted users are invisible; every update filters
/// on the concurrency stamp it read, so a lost race answers <see cref="IdentityErrorDescriber.ConcurrencyFailure"/>.
/// </summary>
internal sealed class MongoUserStore(IdentityDb db, TimeProvider clock, IdentityErrorDescriber errors) :
    IUserPasswordStore<User>,
    IUserEmailStore<User>,
    IUserSecurityStampStore<User>,
    IUserLockoutStore<User>,
    IUserRoleStore<User>
{
    private static readonly FilterDefinitionBuilder<User> Filter = Builders<User>.Filter;

    public async Task<IdentityResult> CreateAsync(User user, CancellationToken cancellationToken)
    {
        user.CreatedAt = user.UpdatedAt = clock.GetUtcNow();
        user.Version = 1;
        try
        {
            await db.Users.InsertOneAsync(user, cancellationToken: cancellationToken);
            return IdentityResult.Success;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            return IdentityResult.Failed(errors.DuplicateEmail(user.Email));
        }
    }

    public async Task<IdentityResult> UpdateAsync(User user, CancellationToken cancellationToken)
    {
        var readStamp = user.ConcurrencyStamp;
        user.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        user.Version++;
        user.UpdatedAt = clock.GetUtcNow();
        try
        {
            var result = await db.Users.ReplaceOneAsync(
                Filter.Eq(u => u.Id, user.Id) & Filter.Eq(u => u.ConcurrencyStamp, readStamp) & SoftDelete.Live<User>(),
                user, cancellationToken: cancellationToken);
            if (result.MatchedCount == 0)
            {
                user.ConcurrencyStamp = readStamp;
                user.Version--;
                return IdentityResult.Failed(errors.ConcurrencyFailure());
            }

            return IdentityResult.Success;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            user.ConcurrencyStamp = readStamp;
            user.Version--;
            return IdentityResult.Failed(errors.DuplicateEmail(user.Email));
        }
    }

    /// <summary>Soft delete: the user disappears from every lookup; the purge removes it after the retention period.</summary>
    public async Task<IdentityResult> DeleteAsync(User user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var result = await db.Users.UpdateOneAsync(
            Filter.Eq(u => u.Id, user.Id) & Filter.Eq(u => u.ConcurrencyStamp, user.ConcurrencyStamp) & SoftDelete.Live<User>(),
            Builders<User>.Update
                .Set(u => u.DeletedAt, now)
                .Set(u => u.UpdatedAt, now)
                .Set(u => u.SecurityStamp, Guid.NewGuid().ToString("N"))
                .Set(u => u.ConcurrencyStamp, Guid.NewGuid().ToString("N"))
                .Inc(u => u.Version, 1),
            cancellationToken: cancellationToken);
        return result.MatchedCount == 0 ? IdentityResult.Failed(errors.ConcurrencyFailure()) : IdentityResult.Success;
    }

    public Task<User?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        MongoDB.Bson.ObjectId.TryParse(userId, out _) ? FindOneAsync(Filter.Eq(u => u.Id, userId), cancellationToken) : Task.FromResult<User?>(null);

    public Task<User?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        FindOneAsync(Filter.Eq(u => u.NormalizedUserName, normalizedUserName), cancellationToken);

    public Task<User?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        FindOneAsync(Filter.Eq(u => u.NormalizedEmail, normalizedEmail), cancellationToken);

    private async Task<User?> FindOneAsync(FilterDefinition<User> filter, CancellationToken cancellationToken) =>
        await db.Users.Find(filter & SoftDelete.Live<User>()).FirstOrDefaultAsync(cancellationToken);

    public Task<string> GetUserIdAsync(User user, CancellationToken cancellationToken) => Task.FromResult(user.Id);

    public Task<string?> GetUserNameAsync(User user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.UserName);

    public Task SetUserNameAsync(User user, string? userName, CancellationToken cancellationToken) => Set(() => user.UserName = userName ?? "");

    public Task<string?> GetNormalizedUserNameAsync(User user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedUserName);

    public Task SetNormalizedUserNameAsync(User user, string? normalizedName, CancellationToken cancellationToken) =>
        Set(() => user.NormalizedUserName = normalizedName ?? "");

    public Task SetPasswordHashAsync(User user, string? passwordHash, CancellationToken cancellationToken) => Set(() => user.PasswordHash = passwordHash);

    public Task<string?> GetPasswordHashAsync(User user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(User user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetEmailAsync(User user, string? email, CancellationToken cancellationToken) => Set(() => user.Email = email ?? "");

    public Task<string?> GetEmailAsync(User user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task<bool> GetEmailConfirmedAsync(User user, CancellationToken cancellationToken) => Task.FromResult(user.EmailConfirmed);

    public Task SetEmailConfirmedAsync(User user, bool confirmed, CancellationToken cancellationToken) => Set(() => user.EmailConfirmed = confirmed);

    public Task<string?> GetNormalizedEmailAsync(User user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedEmailAsync(User user, string? normalizedEmail, CancellationToken cancellationToken) =>
        Set(() => user.NormalizedEmail = normalizedEmail ?? "");

    public Task SetSecurityStampAsync(User user, string stamp, CancellationToken cancellationToken) => Set(() => user.SecurityStamp = stamp);

    public Task<string?> GetSecurityStampAsync(User user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(User user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(User user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken) => Set(() => user.LockoutEnd = lockoutEnd);

    public Task<int> IncrementAccessFailedCountAsync(User user, CancellationToken cancellationToken) => Task.FromResult(++user.AccessFailedCount);

    public Task ResetAccessFailedCountAsync(User user, CancellationToken cancellationToken) => Set(() => user.AccessFailedCount = 0);

    public Task<int> GetAccessFailedCountAsync(User user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    public Task<bool> GetLockoutEnabledAsync(User user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnabled);

    public Task SetLockoutEnabledAsync(User user, bool enabled, CancellationToken cancellationToken) => Set(() => user.LockoutEnabled = enabled);

    public async Task AddToRoleAsync(User user, string normalizedRoleName, CancellationToken cancellationToken)
    {
        var role = await db.Roles.Find(r => r.NormalizedName == normalizedRoleName).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Role '{normalizedRoleName}' does not exist.");
        if (!user.Roles.Contains(role.Name, StringComparer.OrdinalIgnoreCase))
        {
            user.Roles.Add(role.Name);
        }
    }

    public Task RemoveFromRoleAsync(User user, string normalizedRoleName, CancellationToken cancellationToken) =>
        Set(() => user.Roles.RemoveAll(r => string.Equals(r, normalizedRoleName, StringComparison.OrdinalIgnoreCase)));

    public Task<IList<string>> GetRolesAsync(User user, CancellationToken cancellationToken) => Task.FromResult<IList<string>>([.. user.Roles]);

    public async Task<bool> IsInRoleAsync(User user, string normalizedRoleName, CancellationToken cancellationToken)
    {
        var role = await db.Roles.Find(r => r.NormalizedName == normalizedRoleName).FirstOrDefaultAsync(cancellationToken);
        return role is not null && user.Roles.Contains(role.Name, StringComparer.OrdinalIgnoreCase);
    }

    public async Task<IList<User>> GetUsersInRoleAsync(string normalizedRoleName, CancellationToken cancellationToken)
    {
        var role = await db.Roles.Find(r => r.NormalizedName == normalizedRoleName).FirstOrDefaultAsync(cancellationToken);
        return role is null ? [] : await db.Users.Find(Filter.AnyEq(u => u.Roles, role.Name) & SoftDelete.Live<User>()).ToListAsync(cancellationToken);
    }

    public void Dispose()
    {
    }

    private static Task Set(Action change)
    {
        change();
        return Task.CompletedTask;
    }
}
