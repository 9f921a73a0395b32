using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Commands.Sessions;

/// <summary>
/// Runs a write command that carries lsid + txnNumber (outside a transaction) at most once per statement: a retry
/// with the same txnNumber gets the recorded outcome of the statements that already succeeded and executes only
/// the others; a lower txnNumber is refused with TransactionTooOld. The session's gate is held from the check to
/// the record, so the record exists before the first attempt's reply leaves and a concurrent retry waits for it.
/// </summary>
internal static class RetryableWrites
{
    private static readonly Dictionary<string, string> StatementArrays = new(StringComparer.Ordinal)
    {
        ["insert"] = "documents",
        ["update"] = "updates",
        ["delete"] = "deletes",
    };

    public static bool IsRetryableWriteCommand(string name) =>
        StatementArrays.ContainsKey(name) || name is "findAndModify" or "findandmodify";

    public static BsonDocument Execute(CommandContext c, LogicalSession session, long txnNumber, Func<CommandContext, BsonDocument> handler)
    {
        lock (session.Gate)
        {
            if (txnNumber < session.TxnNumber)
            {
                throw new MongoError(225, "TransactionTooOld",
                    $"Retryable write with txnNumber {txnNumber} is prohibited on session {session.Id} because a newer retryable write with txnNumber {session.TxnNumber} has already started on this session.");
            }
            if (txnNumber > session.TxnNumber) session.Begin(txnNumber);
            if (IsUnacknowledged(c.Command)) return handler(c);
            return StatementArrays.TryGetValue(c.Name, out var arrayName)
                ? ExecuteBatch(c, session, arrayName, handler)
                : ExecuteSingle(c, session, handler);
        }
    }

    private static BsonDocument ExecuteSingle(CommandContext c, LogicalSession session, Func<CommandContext, BsonDocument> handler)
    {
        if (session.Record is { Reply: { } recorded }) return recorded.DeepClone().AsBsonDocument;
        var reply = handler(c);
        session.Remember(RetryableWriteRecord.ForReply(c.Name, reply));
        return reply;
    }

    private static BsonDocument ExecuteBatch(CommandContext c, LogicalSession session, string arrayName, Func<CommandContext, BsonDocument> handler)
    {
        var ordered = c.OptionalBool("ordered", true);
        if (c.Command.GetValue(arrayName, BsonNull.Value) is not BsonArray statements) return handler(c);
        var record = session.Record is { Reply: null } existing && existing.Command == c.Name ? existing : null;
        if (record is null)
        {
            var reply = handler(c);
            record = RetryableWriteRecord.ForBatch(c.Name);
            record.Add(Enumerable.Range(0, statements.Count).ToList(), ordered, reply);
            session.Remember(record);
            return reply;
        }
        var pending = Enumerable.Range(0, statements.Count).Where(i => !record.WasExecuted(i)).ToList();
        if (pending.Count == 0) return record.ToReply([]);
        var retried = new BsonDocument(c.Command.Select(e => e.Name == arrayName
            ? new BsonElement(arrayName, new BsonArray(pending.Select(i => statements[i])))
            : e));
        var partial = handler(new CommandContext(c.Server, c.Connection, retried, c.Database));
        var errors = record.Add(pending, ordered, partial);
        return record.ToReply(errors);
    }

    private static bool IsUnacknowledged(BsonDocument command) =>
        command.GetValue("writeConcern", BsonNull.Value) is BsonDocument concern
        && concern.GetValue("w", BsonNull.Value) is { IsNumeric: true } w && w.ToInt32() == 0;
}
