using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Infrastructure.Migrations;
using Monolith.Shared.Infrastructure.Mongo;

namespace Monolith.Modules.Identity.Migrations;

/// <summary>
/// Unique user names and emails (soft-deleted users keep theirs until purged), role lookups, and unique role names.
/// </summary>
internal sealed class M001_UserAndRoleIndexes : IMigration
{
    public string Module => IdentityModule.Name;

    public int Version => 1;

    public string Description => "User and role indexes: unique names and emails, users by role";

    public async Task UpAsync(ModuleDatabase database, CancellationToken cancellationToken)
    {
        await database.Collection<BsonDocument>(IdentityDb.UsersCollection).Indexes.CreateManyAsync(
        [
            new(new BsonDocument("normalizedUserName", 1), new CreateIndexOptions { Name = "normalizedUserName_unique", Unique = true }),
            new(new BsonDocument("normalizedEmail", 1), new CreateIndexOptions { Name = "normalizedEmail_unique", Unique = true }),
            new(new BsonDocument { { "roles", 1 }, { "_id", 1 } }, new CreateIndexOptions { Name = "roles_id" }),
            new(new BsonDocument("deletedAt", 1), new CreateIndexOptions { Name = "deletedAt" }),
        ], cancellationToken);
        await database.Collection<Role>(IdentityDb.RolesCollection).Indexes.CreateOneAsync(
            new CreateIndexModel<Role>(Builders<Role>.IndexKeys.Ascending(r => r.NormalizedName),
                new CreateIndexOptions { Name = "normalizedName_unique", Unique = true }),
            cancellationToken: cancellationToken);
    }

    public async Task DownAsync(ModuleDatabase database, CancellationToken cancellationToken)
    {
        var users = database.Collection<BsonDocument>(IdentityDb.UsersCollection);
        foreach (var name in new[] { "normalizedUserName_unique", "normalizedEmail_unique", "roles_id", "deletedAt" })
        {
            await users.Indexes.DropOneAsync(name, cancellationToken);
        }

        await database.Collection<BsonDocument>(IdentityDb.RolesCollection).Indexes.DropOneAsync("normalizedName_unique", cancellationToken);
    }
}
