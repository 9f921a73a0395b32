using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Infrastructure.Mongo;

namespace Monolith.Modules.Identity;

/// <summary>The identity module's collections (<c>identity.*</c>); nothing else in the database.</summary>
internal sealed class IdentityDb([FromKeyedServices(IdentityModule.Name)] ModuleDatabase database)
{
    public const string UsersCollection = "users";
    public const string RolesCollection = "roles";

    public IMongoCollection<User> Users { get; } = database.Collection<User>(UsersCollection);

    public IMongoCollection<Role> Roles { get; } = database.Collection<Role>(RolesCollection);

    public ModuleDatabase Database => database;
}
