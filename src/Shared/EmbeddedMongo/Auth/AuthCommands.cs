using MongoDB.Bson;
using Monolith.EmbeddedMongo.Commands;

namespace Monolith.EmbeddedMongo.Auth;

/// <summary>SASL authentication (SCRAM-SHA-256, also speculatively inside hello), logout and connectionStatus.</summary>
internal static class AuthCommands
{
    public static void Register(Dictionary<string, Func<CommandContext, BsonDocument>> handlers, AuthGate gate)
    {
        handlers["saslStart"] = c => SaslStart(gate, c.Connection, c.Command, c.Database);
        handlers["saslContinue"] = SaslContinue;
        handlers["authenticate"] = c => throw AuthErrors.MechanismUnavailable(c.Command.GetValue("mechanism", "").ToString()!);
        handlers["logout"] = Logout;
        handlers["connectionStatus"] = c => ConnectionStatus(gate, c);
        foreach (var hello in new[] { "hello", "isMaster", "ismaster" })
        {
            if (!handlers.TryGetValue(hello, out var inner)) continue;
            handlers[hello] = c => WithAuthFields(gate, c, inner(c));
        }
        if (handlers.TryGetValue("listDatabases", out var listDatabases))
            handlers["listDatabases"] = c => OnlyAuthorizedDatabases(gate, c, listDatabases(c));
        UserCommands.Register(handlers, gate);
    }

    private static BsonDocument SaslStart(AuthGate gate, ConnectionState connection, BsonDocument command, string database)
    {
        var mechanism = command.GetValue("mechanism", BsonNull.Value) is BsonString m ? m.Value : "";
        if (mechanism != ScramCredential.Mechanism) throw AuthErrors.MechanismUnavailable(mechanism);
        var skipEmptyExchange = command.GetValue("options", new BsonDocument()) is BsonDocument options
            && options.GetValue("skipEmptyExchange", false).ToBoolean();
        var auth = connection.Auth;
        auth.Conversation = new ScramConversation(gate.Users, database, skipEmptyExchange);
        auth.ConversationId++;
        return Step(connection, Payload(command));
    }

    private static BsonDocument SaslContinue(CommandContext c)
    {
        var auth = c.Connection.Auth;
        if (auth.Conversation is null || c.Command.GetValue("conversationId", -1).ToInt32() != auth.ConversationId)
            throw new MongoError(17, "ProtocolError", "No SASL session state found");
        return Step(c.Connection, Payload(c.Command));
    }

    private static BsonDocument Step(ConnectionState connection, byte[] payload)
    {
        var auth = connection.Auth;
        var conversation = auth.Conversation!;
        byte[] reply;
        try
        {
            reply = conversation.Step(payload);
        }
        catch (MongoError)
        {
            auth.Conversation = null;
            throw;
        }
        if (conversation.AuthenticatedUser is { } user)
        {
            auth.User = (user.User, user.Db);
            auth.Conversation = null;
        }
        return new BsonDocument
        {
            { "conversationId", auth.ConversationId },
            { "done", conversation.IsDone },
            { "payload", new BsonBinaryData(reply) },
        };
    }

    private static byte[] Payload(BsonDocument command) => command.GetValue("payload", BsonNull.Value) switch
    {
        BsonBinaryData binary => binary.Bytes,
        BsonString text => System.Text.Encoding.UTF8.GetBytes(text.Value),
        _ => throw AuthErrors.AuthenticationFailed(),
    };

    private static BsonDocument Logout(CommandContext c)
    {
        c.Connection.Auth.User = null;
        c.Connection.Auth.Conversation = null;
        return [];
    }

    private static BsonDocument ConnectionStatus(AuthGate gate, CommandContext c)
    {
        var users = new BsonArray();
        var roles = new BsonArray();
        if (c.Connection.Auth.User is { } identity)
        {
            users.Add(new BsonDocument { { "user", identity.User }, { "db", identity.Db } });
            foreach (var role in gate.RolesOf(identity)) roles.Add(role.ToBson());
        }
        return new BsonDocument("authInfo", new BsonDocument { { "authenticatedUsers", users }, { "authenticatedUserRoles", roles } });
    }

    /// <summary>hello answers which mechanisms a user may use and, when the driver asks, runs the first SCRAM step at once.</summary>
    private static BsonDocument WithAuthFields(AuthGate gate, CommandContext c, BsonDocument reply)
    {
        if (c.Command.Contains("saslSupportedMechs")) reply["saslSupportedMechs"] = new BsonArray { ScramCredential.Mechanism };
        if (c.Command.GetValue("speculativeAuthenticate", BsonNull.Value) is BsonDocument speculative)
        {
            try
            {
                var database = speculative.GetValue("db", c.Database).AsString;
                reply["speculativeAuthenticate"] = SaslStart(gate, c.Connection, speculative, database);
            }
            catch (MongoError)
            {
                // mongod leaves the field out when speculation fails; the driver then authenticates the long way.
                c.Connection.Auth.Conversation = null;
            }
        }
        return reply;
    }

    private static BsonDocument OnlyAuthorizedDatabases(AuthGate gate, CommandContext c, BsonDocument reply)
    {
        if (!gate.Enabled || c.Connection.Auth.User is not { } identity) return reply;
        var roles = gate.RolesOf(identity);
        if (Privileges.OnEveryDatabase(roles).HasFlag(Privilege.Read)) return reply;
        var visible = reply["databases"].AsBsonArray.Where(d => Privileges.On(roles, d["name"].AsString) != Privilege.None);
        reply["databases"] = new BsonArray(visible);
        return reply;
    }
}
