using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Commands.Sessions;

/// <summary>
/// What a retryable write (one txnNumber of one session) has done: for insert/update/delete the statements that
/// succeeded and their summed outcome, for findAndModify its reply. Failed statements are not recorded, so a retry
/// executes them again, as mongod does.
/// </summary>
internal sealed class RetryableWriteRecord
{
    private readonly HashSet<int> _executed = [];
    private readonly BsonArray _upserted = [];
    private long _n;
    private long _modified;

    private RetryableWriteRecord(string command) => Command = command;

    public string Command { get; }

    /// <summary>findAndModify's reply (its single statement succeeded).</summary>
    public BsonDocument? Reply { get; private init; }

    public static RetryableWriteRecord ForReply(string command, BsonDocument reply) => new(command) { Reply = reply.DeepClone().AsBsonDocument };

    public static RetryableWriteRecord ForBatch(string command) => new(command);

    public bool WasExecuted(int statement) => _executed.Contains(statement);

    /// <summary>
    /// Adds the outcome of running the statements <paramref name="indexes"/> (the command's statement numbers, in
    /// the order they were sent in a batch that produced <paramref name="reply"/>) and returns that batch's
    /// writeErrors renumbered to the command's statement numbers.
    /// </summary>
    public BsonArray Add(IReadOnlyList<int> indexes, bool ordered, BsonDocument reply)
    {
        var errors = new BsonArray();
        var failed = new HashSet<int>();
        if (reply.GetValue("writeErrors", BsonNull.Value) is BsonArray writeErrors)
        {
            foreach (var error in writeErrors.OfType<BsonDocument>())
            {
                var local = error["index"].ToInt32();
                failed.Add(local);
                var renumbered = error.DeepClone().AsBsonDocument;
                renumbered["index"] = indexes[local];
                errors.Add(renumbered);
            }
        }
        var stopAt = ordered && failed.Count > 0 ? failed.Min() : indexes.Count;
        for (var local = 0; local < stopAt; local++)
        {
            if (!failed.Contains(local)) _executed.Add(indexes[local]);
        }
        _n += reply.GetValue("n", 0).ToInt64();
        _modified += reply.GetValue("nModified", 0).ToInt64();
        if (reply.GetValue("upserted", BsonNull.Value) is BsonArray upserted)
        {
            foreach (var entry in upserted.OfType<BsonDocument>())
                _upserted.Add(new BsonDocument { { "index", indexes[entry["index"].ToInt32()] }, { "_id", entry["_id"] } });
        }
        return errors;
    }

    /// <summary>The reply of the whole command so far, shaped as the write command shapes it, plus these errors.</summary>
    public BsonDocument ToReply(BsonArray errors)
    {
        if (Reply is not null) return Reply.DeepClone().AsBsonDocument;
        var reply = new BsonDocument("n", (int)_n);
        if (Command == "update")
        {
            if (_upserted.Count > 0) reply["upserted"] = new BsonArray(_upserted.OrderBy(u => u["index"].ToInt32()).Select(u => u.DeepClone()));
            reply["nModified"] = (int)_modified;
        }
        if (errors.Count > 0) reply["writeErrors"] = new BsonArray(errors.OrderBy(e => e["index"].ToInt32()));
        return reply;
    }
}
