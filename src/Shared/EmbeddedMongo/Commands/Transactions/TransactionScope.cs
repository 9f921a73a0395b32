using MongoDB.Bson;
using Monolith.EmbeddedMongo.Commands.Sessions;

namespace Monolith.EmbeddedMongo.Commands.Transactions;

/// <summary>
/// Runs a command that carries <c>autocommit: false</c>: the first one (<c>startTransaction: true</c>) starts a
/// transaction at a new txnNumber, the following ones run inside it under the session's gate, commitTransaction and
/// abortTransaction end it. Any failure inside a transaction aborts it, as mongod does.
/// </summary>
internal static class TransactionScope
{
    /// <summary>Commands mongod 7.0 runs inside a transaction (create and createIndexes aside: not supported here).</summary>
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "find", "getMore", "killCursors", "insert", "update", "delete", "findAndModify", "findandmodify", "aggregate",
        "distinct", "commitTransaction", "abortTransaction",
    };

    public static BsonDocument Run(CommandContext c, LogicalSession session, OperationSessionInfo info, Func<CommandContext, BsonDocument> handler)
    {
        if (c.Server.Options.ReplicaSetName is null)
            throw new MongoError(20, "IllegalOperation", "Transaction numbers are only allowed on a replica set member or mongos");
        if (info.TxnNumber is not { } txnNumber)
            throw MongoError.InvalidOptions("'autocommit' field requires a transaction number to also be specified");
        if (c.Command["autocommit"] is not BsonBoolean { Value: false })
            throw MongoError.InvalidOptions("Specifying autocommit=true is not allowed.");
        var start = c.Command.TryGetValue("startTransaction", out var startValue);
        if (start && startValue is not BsonBoolean { Value: true })
            throw MongoError.InvalidOptions("Specifying startTransaction=false is not allowed.");
        if (!Allowed.Contains(c.Name))
            throw new MongoError(263, "OperationNotSupportedInTransaction", $"Cannot run '{c.Name}' in a multi-document transaction.");
        if (start && c.Name is "commitTransaction" or "abortTransaction")
            throw MongoError.InvalidOptions($"{c.Name} cannot start a transaction");
        if (!start && c.Command.Contains("readConcern"))
            throw MongoError.InvalidOptions("Only the first command in a transaction may specify a readConcern");
        if (c.Name is "aggregate" && c.OptionalArray("pipeline") is { } pipeline && pipeline.OfType<BsonDocument>().Any(s => s.ElementCount > 0 && s.GetElement(0).Name is "$out" or "$merge" or "$changeStream"))
            throw new MongoError(263, "OperationNotSupportedInTransaction", "$out, $merge and $changeStream are not allowed in a multi-document transaction.");
        CheckReadConcern(c);

        lock (session.Gate)
        {
            var transaction = Resolve(c, session, txnNumber, start);
            if (transaction.State != TransactionState.InProgress) return AnswerEnded(c, transaction);
            if (!transaction.TryBeginCommand()) return AnswerEnded(c, transaction);
            try
            {
                using var scope = Transaction.Enter(transaction);
                var reply = handler(c);
                if (reply.Contains("writeErrors")) transaction.Abort("a write failed");
                return reply;
            }
            catch (MongoError error)
            {
                transaction.Abort(error.Message);
                if (error.Code is 112 or 251) Transaction.Labelled(error);
                throw;
            }
            catch
            {
                transaction.Abort("the command failed");
                throw;
            }
            finally
            {
                transaction.EndCommand(c.Server.Transactions.Now);
            }
        }
    }

    private static Transaction Resolve(CommandContext c, LogicalSession session, long txnNumber, bool start)
    {
        if (txnNumber < session.TxnNumber)
        {
            throw new MongoError(225, "TransactionTooOld",
                $"Cannot start transaction {txnNumber} on session {session.Id} because a newer transaction {session.TxnNumber} has already started.");
        }
        if (start)
        {
            if (txnNumber == session.TxnNumber)
            {
                throw new MongoError(50911, "Location50911",
                    $"Cannot start a transaction at given transaction number {txnNumber} a transaction with the same number is in state {session.Transaction?.State.ToString() ?? "none"}");
            }
            session.Begin(txnNumber);
            var transaction = c.Server.Transactions.Start(session.Id, c.Command["lsid"].AsBsonDocument, txnNumber);
            session.Transaction = transaction;
            return transaction;
        }
        if (txnNumber > session.TxnNumber || session.Transaction is not { } current || current.TxnNumber != txnNumber)
        {
            throw Transaction.Labelled(new MongoError(251, "NoSuchTransaction",
                $"Given transaction number {txnNumber} does not match any in-progress transactions. The active transaction number is {session.TxnNumber}"));
        }
        return current;
    }

    /// <summary>A command for a transaction that has ended: a retried commit of a committed one succeeds.</summary>
    private static BsonDocument AnswerEnded(CommandContext c, Transaction transaction)
    {
        if (transaction.State == TransactionState.Committed)
        {
            if (c.Name == "commitTransaction") return [];
            throw new MongoError(256, "TransactionCommitted", $"Transaction {transaction.TxnNumber} has been committed.");
        }
        throw Transaction.Labelled(new MongoError(251, "NoSuchTransaction",
            $"Transaction {transaction.TxnNumber} has been aborted: {transaction.AbortReason}"));
    }

    private static void CheckReadConcern(CommandContext c)
    {
        if (c.OptionalDocument("readConcern") is not { } readConcern) return;
        var level = readConcern.GetValue("level", BsonNull.Value);
        if (level.IsBsonNull || level is BsonString { Value: "snapshot" or "majority" or "local" }) return;
        throw MongoError.InvalidOptions($"The readConcern level must be either 'local' (default), 'majority' or 'snapshot' in order to run in a transaction, got {level}");
    }
}
