using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Auth;

/// <summary>Which commands run without authentication, and what each other command needs on which database.</summary>
internal static class CommandPrivileges
{
    // connectionStatus too, as mongod: it is how a client asks "am I authenticated?", and tells only about itself.
    private static readonly HashSet<string> Open = new(StringComparer.Ordinal)
    {
        "hello", "isMaster", "ismaster", "ping", "buildInfo", "buildinfo", "saslStart", "saslContinue", "authenticate", "logout",
        "connectionStatus",
    };

    private static readonly Dictionary<string, Privilege> Needs = new(StringComparer.Ordinal)
    {
        // Any authenticated user: session bookkeeping and questions about oneself.
        ["whatsmyuri"] = Privilege.None, ["listCommands"] = Privilege.None,
        ["startSession"] = Privilege.None, ["endSessions"] = Privilege.None, ["killSessions"] = Privilege.None,
        ["refreshSessions"] = Privilege.None, ["commitTransaction"] = Privilege.None, ["abortTransaction"] = Privilege.None,
        ["listDatabases"] = Privilege.None, // answers only the databases the user may read (see AuthCommands)
        ["find"] = Privilege.Read, ["getMore"] = Privilege.Read, ["killCursors"] = Privilege.Read, ["count"] = Privilege.Read,
        ["distinct"] = Privilege.Read, ["aggregate"] = Privilege.Read, ["explain"] = Privilege.Read,
        ["listCollections"] = Privilege.Read, ["listIndexes"] = Privilege.Read, ["dbStats"] = Privilege.Read, ["collStats"] = Privilege.Read,
        ["insert"] = Privilege.Write, ["update"] = Privilege.Write, ["delete"] = Privilege.Write,
        ["findAndModify"] = Privilege.Write, ["findandmodify"] = Privilege.Write, ["create"] = Privilege.Write, ["drop"] = Privilege.Write,
        ["createIndexes"] = Privilege.Write, ["dropIndexes"] = Privilege.Write, ["deleteIndexes"] = Privilege.Write,
        ["collMod"] = Privilege.DbAdmin, ["dropDatabase"] = Privilege.DbAdmin,
        ["createUser"] = Privilege.UserAdmin, ["updateUser"] = Privilege.UserAdmin, ["dropUser"] = Privilege.UserAdmin,
        ["dropAllUsersFromDatabase"] = Privilege.UserAdmin, ["usersInfo"] = Privilege.UserAdmin,
    };

    public static bool IsOpen(string command) => Open.Contains(command);

    /// <summary>
    /// The (database, privilege) pairs a command needs. Commands not listed (server status, logs, parameters, and
    /// any command added later) need the cluster privilege, which only root has: unknown means refused.
    /// </summary>
    public static IEnumerable<(string Database, Privilege Needed)> Required(string name, BsonDocument command, string database)
    {
        if (name == "renameCollection")
        {
            yield return (DatabaseOf(command[0]), Privilege.Read | Privilege.Write);
            yield return (DatabaseOf(command.GetValue("to", BsonNull.Value)), Privilege.Write);
            yield break;
        }
        if (name == "explain" && command[0] is BsonDocument { ElementCount: > 0 } explained)
        {
            // Explaining a command needs what running it needs (an explained delete is still a delete's business).
            foreach (var need in Required(explained.GetElement(0).Name, explained, database))
                yield return need;
            yield break;
        }
        if (name == "aggregate" && WritesOut(command, database) is { } target)
        {
            yield return (database, Privilege.Read);
            yield return (target, Privilege.Write);
            yield break;
        }
        yield return (database, Needs.TryGetValue(name, out var needed) ? needed : Privilege.Cluster);
    }

    private static string DatabaseOf(BsonValue ns) =>
        ns is BsonString s && s.Value.IndexOf('.') is var dot and > 0 ? s.Value[..dot] : "";

    /// <summary>The database an aggregation's $out or $merge writes to, if it writes.</summary>
    private static string? WritesOut(BsonDocument command, string database)
    {
        if (!command.TryGetValue("pipeline", out var pipeline) || pipeline is not BsonArray { Count: > 0 } stages) return null;
        if (stages[^1] is not BsonDocument { ElementCount: > 0 } last) return null;
        var stage = last.GetElement(0);
        if (stage.Name is not ("$out" or "$merge")) return null;
        var spec = stage.Value is BsonDocument d ? d.GetValue(stage.Name == "$out" ? "db" : "into", BsonNull.Value) : BsonNull.Value;
        return spec switch
        {
            BsonString s when stage.Name == "$out" => s.Value,
            BsonDocument into when into.TryGetValue("db", out var db) && db is BsonString dbName => dbName.Value,
            _ => database,
        };
    }
}
