using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Commands.Sessions;

/// <summary>startSession, refreshSessions, endSessions, killSessions and killAllSessions.</summary>
internal static class SessionCommands
{
    public static void Register(Dictionary<string, Func<CommandContext, BsonDocument>> handlers)
    {
        handlers["startSession"] = StartSession;
        handlers["refreshSessions"] = c => Each(c, ids => c.Server.Sessions.Refresh(ids));
        handlers["endSessions"] = c => Each(c, ids => c.Server.Sessions.End(ids));
        handlers["killSessions"] = KillSessions;
        handlers["killAllSessions"] = KillAllSessions;
    }

    private static BsonDocument StartSession(CommandContext c)
    {
        var id = Guid.NewGuid();
        var binary = new BsonBinaryData(id, GuidRepresentation.Standard);
        c.Server.Sessions.Refresh([new Guid(binary.Bytes)]);
        return new BsonDocument
        {
            { "id", new BsonDocument("id", binary) },
            { "timeoutMinutes", (int)c.Server.Sessions.Timeout.TotalMinutes },
        };
    }

    /// <summary>An empty killSessions kills every session (there are no users whose sessions could be told apart).</summary>
    private static BsonDocument KillSessions(CommandContext c)
    {
        if (c.Argument is BsonArray { Count: 0 })
        {
            c.Server.Sessions.EndAll();
            return [];
        }
        return Each(c, ids => c.Server.Sessions.End(ids));
    }

    private static BsonDocument KillAllSessions(CommandContext c)
    {
        if (c.Argument is not BsonArray)
            throw MongoError.TypeMismatch($"BSON field 'KillAllSessionsCmd.killAllSessions' is the wrong type '{c.Argument.BsonType}', expected type 'array'");
        c.Server.Sessions.EndAll();
        return [];
    }

    private static BsonDocument Each(CommandContext c, Action<IReadOnlyList<Guid>> apply)
    {
        if (c.Argument is not BsonArray array)
            throw MongoError.TypeMismatch($"BSON field '{c.Name}' is the wrong type '{c.Argument.BsonType}', expected type 'array'");
        if (array.Count > 10_000) throw MongoError.BadValue($"{c.Name} may not name more than 10000 sessions");
        apply(array.Select(OperationSessionInfo.ParseLsid).ToList());
        return [];
    }
}
