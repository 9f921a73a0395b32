using System.Net;
using MongoDB.Bson;
using Monolith.EmbeddedMongo.Commands;

namespace Monolith.EmbeddedMongo.Auth;

/// <summary>
/// Decides, before a command runs, whether its connection may run it: with auth on, an unauthenticated client
/// may only greet, ping and authenticate (plus create the first user from loopback, MongoDB's localhost
/// exception); an authenticated one needs the privileges its roles grant on the command's database.
/// </summary>
internal sealed class AuthGate(ServerState server)
{
    public UserStore Users { get; } = new(server.Storage);

    public bool Enabled => server.Options.Auth;

    public void Authorize(ConnectionState connection, string name, BsonDocument command, string database)
    {
        if (!Enabled || CommandPrivileges.IsOpen(name)) return;
        if (connection.Auth.User is not { } identity)
        {
            if (name == "createUser" && LocalhostExceptionApplies(connection)) return;
            throw AuthErrors.RequiresAuthentication(name);
        }
        var roles = RolesOf(identity);
        if (name == "usersInfo")
        {
            if (AsksOnlyAbout(identity, command[0], database)) return;
            if (command[0] is BsonDocument { } all && all.GetValue("forAllDBs", false).ToBoolean())
            {
                if (!Privileges.OnEveryDatabase(roles).HasFlag(Privilege.UserAdmin)) throw AuthErrors.NotAuthorized(database, command);
                return;
            }
        }
        foreach (var (db, needed) in CommandPrivileges.Required(name, command, database))
            if (!Privileges.Allows(roles, db, needed)) throw AuthErrors.NotAuthorized(database, command);
    }

    /// <summary>The connection's roles now (a dropped or changed user loses or gains rights at once).</summary>
    public IReadOnlyList<RoleGrant> RolesOf((string User, string Db) identity) =>
        Users.Find(identity.Db, identity.User)?.Roles ?? [];

    public bool LocalhostExceptionApplies(ConnectionState connection) =>
        IPEndPoint.TryParse(connection.Remote, out var remote) && IPAddress.IsLoopback(remote.Address) && Users.IsEmpty;

    private static bool AsksOnlyAbout((string User, string Db) identity, BsonValue spec, string database) => spec switch
    {
        BsonString name => name.Value == identity.User && database == identity.Db,
        BsonDocument one when one.Contains("user") => one["user"] == identity.User && one.GetValue("db", database) == identity.Db,
        _ => false,
    };
}
