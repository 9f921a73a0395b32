using MongoDB.Bson;
using Monolith.EmbeddedMongo.Aggregation;

namespace Monolith.EmbeddedMongo.Commands.ChangeStreams;

/// <summary>aggregate with a leading $changeStream: opens a tailable cursor over the server's change feed.</summary>
internal static class ChangeStreamCommand
{
    private static readonly HashSet<string> AllowedStages =
        ["$match", "$project", "$addFields", "$set", "$unset", "$replaceRoot", "$replaceWith", "$redact"];

    public static BsonDocument Open(CommandContext c, BsonArray stages)
    {
        var changes = c.Server.Storage.Changes ?? throw MongoError.Location(40573, "The $changeStream stage is only supported on replica sets");
        var spec = stages[0].AsBsonDocument[0] as BsonDocument
            ?? throw MongoError.TypeMismatch("the $changeStream stage specification must be an object");
        var clusterWide = spec.GetValue("allChangesForCluster", false).ToBoolean();
        var (database, collection) = c.Argument switch
        {
            BsonString name => (c.Database, (string?)name.Value),
            { IsNumeric: true } one when one.ToInt32() == 1 => (clusterWide ? null : c.Database, null),
            _ => throw MongoError.FailedToParse("Invalid aggregate namespace"),
        };
        if (clusterWide && c.Database != "admin")
            throw MongoError.InvalidOptions("$changeStream may only be opened on the entire cluster when run against the 'admin' database");
        if (!clusterWide && database == "admin" && collection is null)
            throw MongoError.InvalidOptions("$changeStream may not be opened on the internal admin database");
        foreach (var stage in stages.Skip(1))
        {
            var name = stage.AsBsonDocument.GetElement(0).Name;
            if (!AllowedStages.Contains(name))
                throw MongoError.Location(31237, $"Stage {name} is not permitted in a $changeStream pipeline");
        }
        var fullDocument = spec.GetValue("fullDocument", "default").AsString;
        if (fullDocument is not ("default" or "updateLookup" or "whenAvailable" or "required"))
            throw MongoError.BadValue($"unknown fullDocument mode '{fullDocument}'");
        var rest = new BsonArray(stages.Skip(1));
        var pipeline = rest.Count == 0
            ? null
            : Pipeline.Compile(rest, new PipelineContext { Database = c.Database, Host = new PipelineHost(c.Server.Storage), Query = c.QueryContext() });
        var source = new ChangeStreamSource(c.Server, changes, database, collection, pipeline, fullDocument, StartPosition(changes, spec));
        var ns = collection is null ? $"{c.Database}.$cmd.aggregate" : $"{c.Database}.{collection}";
        var batchSize = c.OptionalDocument("cursor")?.GetValue("batchSize", BsonNull.Value) is { IsNumeric: true } b ? b.ToInt32() : (int?)null;
        return new BsonDocument("cursor", c.Server.Cursors.OpenTailable(ns, source, batchSize));
    }

    /// <summary>The sequence after which the stream starts: now, a resume token, or an operation time.</summary>
    private static long StartPosition(Storage.ChangeLog changes, BsonDocument spec)
    {
        var token = spec.GetValue("resumeAfter", BsonNull.Value) as BsonDocument ?? spec.GetValue("startAfter", BsonNull.Value) as BsonDocument;
        if (token is not null)
        {
            var sequence = ResumeTokens.Parse(token);
            if (sequence < changes.OldestSequence - 1) throw HistoryLost();
            return sequence;
        }
        if (spec.GetValue("startAtOperationTime", BsonNull.Value) is BsonTimestamp time)
        {
            var events = changes.ReadAfter(changes.OldestSequence - 1, changes.Capacity);
            var first = events.FirstOrDefault(e => e.ClusterTime.CompareTo(time) >= 0);
            if (first is null) return changes.LastSequence;
            if (first.Sequence == changes.OldestSequence && changes.OldestSequence > 1 && events[0].ClusterTime.CompareTo(time) > 0) throw HistoryLost();
            return first.Sequence - 1;
        }
        return changes.LastSequence;
    }

    private static MongoError HistoryLost() =>
        new(286, "ChangeStreamHistoryLost", "Resume of change stream was not possible, as the resume point may no longer be in the oplog.");
}
