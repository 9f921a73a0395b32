using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using Monolith.EmbeddedMongo.Commands.Sessions;

namespace Monolith.EmbeddedMongo.Commands;

/// <summary>Routes a command document to its handler by the name of its first field and shapes the reply.</summary>
internal sealed class CommandDispatcher
{
    private static readonly HashSet<string> WriteCommandNames = new(StringComparer.Ordinal)
    {
        "insert", "update", "delete", "findAndModify", "findandmodify", "create", "drop", "dropDatabase",
        "renameCollection", "createIndexes", "dropIndexes", "deleteIndexes", "aggregate",
        "createUser", "updateUser", "dropUser", "dropAllUsersFromDatabase",
    };

    [ThreadStatic] private static Task? t_durable;
    private readonly Dictionary<string, Func<CommandContext, BsonDocument>> _handlers = new(StringComparer.Ordinal);
    private readonly ServerState _server;
    private readonly ILogger _logger;
    private readonly Auth.AuthGate _auth;

    public CommandDispatcher(ServerState server, ILogger logger)
    {
        _server = server;
        _logger = logger;
        AdminCommands.Register(_handlers);
        CollectionCommands.Register(_handlers);
        QueryCommands.Register(_handlers);
        WriteCommands.Register(_handlers);
        SessionCommands.Register(_handlers);
        Transactions.TransactionCommands.Register(_handlers);
        _auth = new Auth.AuthGate(server);
        Auth.AuthCommands.Register(_handlers, _auth); // after AdminCommands: wraps hello and listDatabases
    }

    /// <summary>Names a command can be sent by (for listCommands).</summary>
    public IEnumerable<string> CommandNames => _handlers.Keys;

    /// <summary>
    /// What the reply to the command <see cref="Execute"/> just ran on this thread must wait for before it is sent:
    /// with a dbpath, the log records of its writes being on disk. Call on the thread that called Execute.
    /// </summary>
    public static Task TakeDurableWait()
    {
        var wait = t_durable;
        t_durable = null;
        return wait ?? Task.CompletedTask;
    }

    public BsonDocument Execute(ConnectionState connection, BsonDocument command, string database)
    {
        var journal = _server.Storage.Journal;
        if (journal is not null) Storage.Durability.Journal.BeginCommand();
        var reply = ExecuteCore(connection, command, database);
        if (journal is not null)
            t_durable = journal.WhenCommandDurable(IsDurableWrite(command));
        return reply;
    }

    /// <summary>
    /// A write whose answer must wait for the log. A write inside a transaction changes nothing stored until the
    /// commit, which waits for its own record; a repeated commit (nothing appended) waits for the log's end, so its
    /// ok never precedes the first attempt's record reaching the disk.
    /// </summary>
    private static bool IsDurableWrite(BsonDocument command)
    {
        if (command.ElementCount == 0) return false;
        var name = command.GetElement(0).Name;
        return name == "commitTransaction" || (WriteCommandNames.Contains(name) && !command.Contains("autocommit"));
    }

    private BsonDocument ExecuteCore(ConnectionState connection, BsonDocument command, string database)
    {
        BsonDocument reply;
        try
        {
            if (command.ElementCount == 0) throw MongoError.FailedToParse("Empty command document");
            var name = command.GetElement(0).Name;
            if (!_handlers.TryGetValue(name, out var handler)) throw MongoError.CommandNotFound(name);
            Storage.Names.ValidateDatabase(database);
            _auth.Authorize(connection, name, command, database);
            reply = SessionScope.Run(new CommandContext(_server, connection, command, database), handler);
            if (!reply.Contains("ok")) reply.Add("ok", 1.0);
        }
        catch (MongoError error)
        {
            reply = ErrorReply(error);
        }
        catch (Storage.Versions.DocumentLockedException)
        {
            // A write path that does not wait for transactions (e.g. $merge) met a document an open transaction holds.
            reply = ErrorReply(new MongoError(112, "WriteConflict", "A document is being written by an open transaction; retry the operation."));
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or ArgumentException or InvalidOperationException or OverflowException or KeyNotFoundException or IndexOutOfRangeException)
        {
            _logger.LogDebug(ex, "Command failed on malformed input");
            reply = ErrorReply(new MongoError(2, "BadValue", ex.Message));
        }
        if (_server.Options.ReplicaSetName is not null)
        {
            var time = _server.CurrentClusterTime;
            reply["operationTime"] = time;
            reply["$clusterTime"] = new BsonDocument
            {
                { "clusterTime", time },
                { "signature", new BsonDocument { { "hash", new BsonBinaryData(new byte[20]) }, { "keyId", 0L } } },
            };
        }
        return reply;
    }

    public void ConnectionClosed(ConnectionState connection)
    {
    }

    public static BsonDocument ErrorReply(MongoError error)
    {
        var reply = new BsonDocument
        {
            { "ok", 0.0 },
            { "errmsg", error.Message },
            { "code", error.Code },
            { "codeName", error.CodeName },
        };
        if (error.Extra is not null) reply.AddRange(error.Extra);
        if (error.Labels.Count > 0) reply["errorLabels"] = new BsonArray(error.Labels);
        return reply;
    }
}
