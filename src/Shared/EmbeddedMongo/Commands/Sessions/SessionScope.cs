using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Commands.Sessions;

/// <summary>
/// Wraps every command: a command naming an lsid keeps its session alive for the command's duration, and a write
/// with a txnNumber outside a transaction runs as a retryable write.
/// </summary>
internal static class SessionScope
{
    public static BsonDocument Run(CommandContext c, Func<CommandContext, BsonDocument> handler)
    {
        var info = OperationSessionInfo.Parse(c.Command);
        if (info.TxnNumber is { } txnNumber && !info.HasAutocommit)
        {
            if (info.SessionId is null) throw MongoError.InvalidOptions("Transaction number requires a session ID to also be specified");
            if (c.Server.Options.ReplicaSetName is null)
                throw new MongoError(20, "IllegalOperation", "Transaction numbers are only allowed on a replica set member or mongos");
            if (!RetryableWrites.IsRetryableWriteCommand(c.Name))
            {
                throw new MongoError(50768, "NotARetryableWriteCommand",
                    $"txnNumber may only be provided for multi-document transactions and retryable write commands. autocommit:false was not provided, and {c.Name} is not a retryable write command.");
            }
        }
        if (info.SessionId is not { } id)
        {
            if (info.HasAutocommit) throw MongoError.InvalidOptions("'autocommit' requires a session (lsid) and a txnNumber");
            return handler(c);
        }
        var registry = c.Server.Sessions;
        var session = registry.Acquire(id);
        try
        {
            if (info.HasAutocommit) return Transactions.TransactionScope.Run(c, session, info, handler);
            return info.TxnNumber is { } txn
                ? RetryableWrites.Execute(c, session, txn, handler)
                : handler(c);
        }
        finally
        {
            registry.Release(session);
        }
    }
}
