namespace Monolith.EmbeddedMongo.Auth;

/// <summary>What a command needs on a database.</summary>
[Flags]
internal enum Privilege
{
    None = 0,
    Read = 1,
    Write = 2,
    DbAdmin = 4,
    UserAdmin = 8,
    Cluster = 16,
}

/// <summary>MongoDB's built-in roles reduced to the privileges they grant on one database or on every database.</summary>
internal static class Privileges
{
    private static readonly Dictionary<string, Privilege> DatabaseRoles = new(StringComparer.Ordinal)
    {
        ["read"] = Privilege.Read,
        ["readWrite"] = Privilege.Read | Privilege.Write,
        ["dbAdmin"] = Privilege.DbAdmin,
        ["userAdmin"] = Privilege.UserAdmin,
        ["dbOwner"] = Privilege.Read | Privilege.Write | Privilege.DbAdmin | Privilege.UserAdmin,
    };

    /// <summary>Roles that exist only on admin and reach every database.</summary>
    private static readonly Dictionary<string, Privilege> AnyDatabaseRoles = new(StringComparer.Ordinal)
    {
        ["readAnyDatabase"] = Privilege.Read,
        ["readWriteAnyDatabase"] = Privilege.Read | Privilege.Write,
        ["dbAdminAnyDatabase"] = Privilege.DbAdmin,
        ["userAdminAnyDatabase"] = Privilege.UserAdmin,
        ["root"] = Privilege.Read | Privilege.Write | Privilege.DbAdmin | Privilege.UserAdmin | Privilege.Cluster,
    };

    public static bool Exists(RoleGrant role) =>
        DatabaseRoles.ContainsKey(role.Role) || (role.Db == "admin" && AnyDatabaseRoles.ContainsKey(role.Role));

    /// <summary>The privileges the roles grant on <paramref name="database"/>.</summary>
    public static Privilege On(IEnumerable<RoleGrant> roles, string database)
    {
        var granted = Privilege.None;
        foreach (var role in roles)
        {
            if (role.Db == "admin" && AnyDatabaseRoles.TryGetValue(role.Role, out var any)) granted |= any;
            else if (role.Db == database && DatabaseRoles.TryGetValue(role.Role, out var local)) granted |= local;
        }
        return granted;
    }

    /// <summary>The privileges the roles grant on every database.</summary>
    public static Privilege OnEveryDatabase(IEnumerable<RoleGrant> roles)
    {
        var granted = Privilege.None;
        foreach (var role in roles)
            if (role.Db == "admin" && AnyDatabaseRoles.TryGetValue(role.Role, out var any)) granted |= any;
        return granted;
    }

    public static bool Allows(IEnumerable<RoleGrant> roles, string database, Privilege needed) => (On(roles, database) & needed) == needed;
}
