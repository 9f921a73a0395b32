using Microsoft.AspNetCore.Identity;
using MongoDB.Driver;
using Monolith.Modules.Identity.Domain;

namespace Monolith.Modules.Identity.Users;

/// <summary>ASP.NET Core Identity's role store on <c>identity.roles</c>, with the same concurrency rule as users.</summary>
internal sealed class MongoRoleStore(IdentityDb db, TimeProvider clock, IdentityErrorDescriber errors) : IRoleStore<Role>
{
    public async Task<IdentityResult> CreateAsync(Role role, CancellationToken cancellationToken)
    {
        role.CreatedAt = role.UpdatedAt = clock.GetUtcNow();
        role.Version = 1;
        try
        {
            await db.Roles.InsertOneAsync(role, cancellationToken: cancellationToken);
            return IdentityResult.Success;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            return IdentityResult.Failed(errors.DuplicateRoleName(role.Name));
        }
    }

    public async Task<IdentityResult> UpdateAsync(Role role, CancellationToken cancellationToken)
    {
        var readStamp = role.ConcurrencyStamp;
        role.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        role.Version++;
        role.UpdatedAt = clock.GetUtcNow();
        try
        {
            var result = await db.Roles.ReplaceOneAsync(r => r.Id == role.Id && r.ConcurrencyStamp == readStamp, role, cancellationToken: cancellationToken);
            if (result.MatchedCount == 0)
            {
                role.ConcurrencyStamp = readStamp;
                role.Version--;
                return IdentityResult.Failed(errors.ConcurrencyFailure());
            }

            return IdentityResult.Success;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            role.ConcurrencyStamp = readStamp;
            role.Version--;
            return IdentityResult.Failed(errors.DuplicateRoleName(role.Name));
        }
    }

    public async Task<IdentityResult> DeleteAsync(Role role, CancellationToken cancellationToken)
    {
        var result = await db.Roles.DeleteOneAsync(r => r.Id == role.Id && r.ConcurrencyStamp == role.ConcurrencyStamp, cancellationToken);
        if (result.DeletedCount == 0)
        {
            return IdentityResult.Failed(errors.ConcurrencyFailure());
        }

        await db.Users.UpdateManyAsync(Builders<User>.Filter.AnyEq(u => u.Roles, role.Name),
            Builders<User>.Update.Pull(u => u.Roles, role.Name).Set(u => u.ConcurrencyStamp, Guid.NewGuid().ToString("N")).Inc(u => u.Version, 1),
            cancellationToken: cancellationToken);
        return IdentityResult.Success;
    }

    public async Task<Role?> FindByIdAsync(string roleId, CancellationToken cancellationToken) =>
        MongoDB.Bson.ObjectId.TryParse(roleId, out _) ? await db.Roles.Find(r => r.Id == roleId).FirstOrDefaultAsync(cancellationToken) : null;

    public async Task<Role?> FindByNameAsync(string normalizedRoleName, CancellationToken cancellationToken) =>
        await db.Roles.Find(r => r.NormalizedName == normalizedRoleName).FirstOrDefaultAsync(cancellationToken);

    public Task<string> GetRoleIdAsync(Role role, CancellationToken cancellationToken) => Task.FromResult(role.Id);

    public Task<string?> GetRoleNameAsync(Role role, CancellationToken cancellationToken) => Task.FromResult<string?>(role.Name);

    public Task SetRoleNameAsync(Role role, string? roleName, CancellationToken cancellationToken)
    {
        role.Name = roleName ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedRoleNameAsync(Role role, CancellationToken cancellationToken) => Task.FromResult<string?>(role.NormalizedName);

    public Task SetNormalizedRoleNameAsync(Role role, string? normalizedName, CancellationToken cancellationToken)
    {
        role.NormalizedName = normalizedName ?? "";
        return Task.CompletedTask;
    }

    public void Dispose()
    {
    }
}
