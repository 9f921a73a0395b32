using MongoDB.Bson;
using Monolith.EmbeddedMongo.Commands;

namespace Monolith.EmbeddedMongo.Auth;

/// <summary>createUser, usersInfo, updateUser, dropUser and dropAllUsersFromDatabase, with mongod's replies and errors.</summary>
internal static class UserCommands
{
    public static void Register(Dictionary<string, Func<CommandContext, BsonDocument>> handlers, AuthGate gate)
    {
        handlers["createUser"] = c => CreateUser(gate, c);
        handlers["usersInfo"] = c => UsersInfo(gate, c);
        handlers["updateUser"] = c => UpdateUser(gate, c);
        handlers["dropUser"] = c => DropUser(gate, c);
        handlers["dropAllUsersFromDatabase"] = c => new BsonDocument("n", gate.Users.Delete(c.Database, _ => true));
    }

    private static BsonDocument CreateUser(AuthGate gate, CommandContext c)
    {
        var name = UserName(c);
        var roles = Roles(c) ?? throw MongoError.BadValue("\"createUser\" command requires a \"roles\" array");
        var credential = Credential(c) ?? throw MongoError.BadValue(
            "Must provide a 'pwd' field for all user documents, except those with '$external' as the user's source db");
        var underLocalhostException = gate.Enabled && c.Connection.Auth.User is null;
        if (underLocalhostException && !Privileges.On(roles, c.Database).HasFlag(Privilege.UserAdmin))
            throw MongoError.Unauthorized("The localhost exception only allows creating a first user that can administer users (e.g. root or userAdminAnyDatabase)");
        var user = new StoredUser(name, c.Database, Guid.NewGuid(), credential, roles, c.OptionalDocument("customData"));
        gate.Users.Insert(user, onlyIfEmpty: underLocalhostException);
        return [];
    }

    private static BsonDocument UpdateUser(AuthGate gate, CommandContext c)
    {
        var name = UserName(c);
        var existing = gate.Users.Find(c.Database, name) ?? throw AuthErrors.UserNotFound(name, c.Database);
        var updated = existing with
        {
            Credential = Credential(c) ?? existing.Credential,
            Roles = Roles(c) ?? existing.Roles,
            CustomData = c.OptionalDocument("customData") ?? existing.CustomData,
        };
        gate.Users.Replace(updated);
        return [];
    }

    private static BsonDocument DropUser(AuthGate gate, CommandContext c)
    {
        var name = UserName(c);
        if (gate.Users.Delete(c.Database, u => u.User == name) == 0) throw AuthErrors.UserNotFound(name, c.Database);
        return [];
    }

    private static BsonDocument UsersInfo(AuthGate gate, CommandContext c)
    {
        var showCredentials = c.OptionalBool("showCredentials", false);
        var wanted = Selector(c.Argument, c.Database);
        var users = new BsonArray();
        foreach (var user in gate.Users.All().Where(wanted))
        {
            var document = new BsonDocument
            {
                { "_id", user.Id },
                { "userId", new BsonBinaryData(user.UserId, GuidRepresentation.Standard) },
                { "user", user.User },
                { "db", user.Db },
                { "roles", new BsonArray(user.Roles.Select(r => r.ToBson())) },
                { "mechanisms", new BsonArray { ScramCredential.Mechanism } },
            };
            if (user.CustomData is not null) document["customData"] = user.CustomData;
            if (showCredentials && user.Credential is not null)
                document["credentials"] = new BsonDocument(ScramCredential.Mechanism, user.Credential.ToBson());
            users.Add(document);
        }
        return new BsonDocument("users", users);
    }

    /// <summary>usersInfo's argument: 1 (all of this db), a name, {user, db}, {forAllDBs: true} or an array of names/documents.</summary>
    private static Func<StoredUser, bool> Selector(BsonValue spec, string database)
    {
        switch (spec)
        {
            case BsonString name:
                return u => u.Db == database && u.User == name.Value;
            case BsonDocument all when all.GetValue("forAllDBs", false).ToBoolean():
                return _ => true;
            case BsonDocument one:
                var user = one.GetValue("user", BsonNull.Value) as BsonString ?? throw MongoError.BadValue("User name must contain a string field named: user");
                var db = one.GetValue("db", database).AsString;
                return u => u.Db == db && u.User == user.Value;
            case BsonArray many:
                var selectors = many.Select(v => Selector(v, database)).ToList();
                return u => selectors.Any(s => s(u));
            case var number when number.IsNumeric && number.ToDouble() == 1:
                return u => u.Db == database;
            default:
                throw MongoError.BadValue("User and role names must be either strings or objects");
        }
    }

    private static string UserName(CommandContext c)
    {
        var name = c.Argument is BsonString s ? s.Value : throw MongoError.TypeMismatch($"BSON field '{c.Name}' is the wrong type '{c.Argument.BsonType}', expected type 'string'");
        if (name.Length == 0) throw MongoError.BadValue("User document needs 'user' field to be non-empty");
        return name;
    }

    private static ScramCredential? Credential(CommandContext c)
    {
        if (c.OptionalBool("digestPassword", false)) throw MongoError.BadValue("Use of SCRAM-SHA-256 requires undigested passwords");
        if (c.OptionalArray("mechanisms") is { } mechanisms && !mechanisms.Contains(ScramCredential.Mechanism))
            throw MongoError.BadValue("This server supports only the SCRAM-SHA-256 mechanism");
        if (!c.Command.TryGetValue("pwd", out var pwd) || pwd.IsBsonNull) return null;
        if (pwd is not BsonString { Value.Length: > 0 } password) throw MongoError.BadValue("User passwords must not be empty");
        return ScramCredential.Derive(password.Value);
    }

    private static List<RoleGrant>? Roles(CommandContext c)
    {
        if (c.OptionalArray("roles") is not { } array) return null;
        var roles = new List<RoleGrant>();
        foreach (var value in array)
        {
            var role = value switch
            {
                BsonString name => new RoleGrant(name.Value, c.Database),
                BsonDocument d when d.GetValue("role", BsonNull.Value) is BsonString r => new RoleGrant(r.Value, d.GetValue("db", c.Database).AsString),
                _ => throw MongoError.BadValue("Role names must be either strings or objects"),
            };
            if (!Privileges.Exists(role)) throw AuthErrors.RoleNotFound(role.Role, role.Db);
            roles.Add(role);
        }
        return roles;
    }
}
