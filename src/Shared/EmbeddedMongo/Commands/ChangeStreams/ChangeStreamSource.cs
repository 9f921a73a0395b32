using MongoDB.Bson;
using Monolith.EmbeddedMongo.Aggregation;
using Monolith.EmbeddedMongo.Storage;

namespace Monolith.EmbeddedMongo.Commands.ChangeStreams;

/// <summary>
/// One change stream: reads the change feed after its position, keeps the events of its collection, database or
/// cluster, shapes them as MongoDB's change events, runs the user's stages over them, and ends with an
/// invalidate event when its collection is dropped or renamed (or its database dropped).
/// </summary>
internal sealed class ChangeStreamSource(
    ServerState server, ChangeLog changes, string? database, string? collection, Pipeline? pipeline, string fullDocument, long start)
    : ITailableSource
{
    private static readonly HashSet<string> InternalDatabases = ["admin", "config", "local"];
    private long _position = start;
    private bool _invalidated;

    public BsonDocument ResumeToken => ResumeTokens.For(_position);

    public BsonArray NextBatch(int max, TimeSpan maxAwait, out bool closed)
    {
        var batch = new BsonArray();
        if (_invalidated)
        {
            closed = true;
            return batch;
        }
        if (_position < changes.OldestSequence - 1)
            throw new MongoError(286, "ChangeStreamHistoryLost", "Resume of change stream was not possible, as the resume point may no longer be in the oplog.");
        var waited = false;
        while (true)
        {
            var events = changes.ReadAfter(_position, Math.Max(max, 1) * 4);
            foreach (var change in events)
            {
                _position = change.Sequence;
                if (!Concerns(change)) continue;
                foreach (var document in Shape(change)) batch.Add(document);
                if (_invalidated || batch.Count >= max) break;
            }
            if (batch.Count > 0 || _invalidated || waited || maxAwait <= TimeSpan.Zero)
            {
                if (events.Count > 0 && batch.Count == 0 && !_invalidated && !waited) continue;
                break;
            }
            if (!changes.WaitForAfter(_position, maxAwait)) break;
            waited = true;
        }
        closed = false;
        return batch;
    }

    private bool Concerns(ChangeEvent change)
    {
        if (database is null) return !InternalDatabases.Contains(change.Database);
        if (change.Database != database) return false;
        return collection is null || change.Collection is null || change.Collection == collection;
    }

    private IEnumerable<BsonDocument> Shape(ChangeEvent change)
    {
        var document = ToDocument(change);
        var shaped = pipeline is null ? [document] : pipeline.Execute([document]).ToList();
        foreach (var result in shaped) yield return result;
        var invalidates = change.OperationType switch
        {
            "drop" or "rename" => collection is not null,
            "dropDatabase" => database is not null,
            _ => false,
        };
        if (!invalidates) yield break;
        _invalidated = true;
        yield return new BsonDocument
        {
            { "_id", ResumeTokens.For(change.Sequence) },
            { "operationType", "invalidate" },
            { "clusterTime", change.ClusterTime },
            { "wallTime", change.WallTime },
        };
    }

    private BsonDocument ToDocument(ChangeEvent change)
    {
        var document = new BsonDocument
        {
            { "_id", ResumeTokens.For(change.Sequence) },
            { "operationType", change.OperationType },
            { "clusterTime", change.ClusterTime },
            { "wallTime", change.WallTime },
        };
        var full = FullDocument(change);
        if (full is not null) document["fullDocument"] = full;
        document["ns"] = change.Collection is null
            ? new BsonDocument("db", change.Database)
            : new BsonDocument { { "db", change.Database }, { "coll", change.Collection } };
        if (change.ToCollection is not null) document["to"] = new BsonDocument { { "db", change.ToDatabase }, { "coll", change.ToCollection } };
        if (change.DocumentId is not null) document["documentKey"] = new BsonDocument("_id", change.DocumentId);
        if (change.UpdateDescription is not null) document["updateDescription"] = change.UpdateDescription;
        if (change.TxnNumber is { } txnNumber)
        {
            document["txnNumber"] = txnNumber;
            document["lsid"] = change.Lsid;
        }
        return document;
    }

    private BsonValue? FullDocument(ChangeEvent change)
    {
        switch (change.OperationType)
        {
            case "insert" or "replace":
                return change.FullDocument is null ? null : Documents.FromBytes(change.FullDocument);
            case "update" when fullDocument != "default":
                return LookUp(change) ?? (BsonValue)BsonNull.Value;
            default:
                return null;
        }
    }

    /// <summary>updateLookup: the document as it is now (null when it has been deleted since).</summary>
    private BsonDocument? LookUp(ChangeEvent change)
    {
        var store = server.Storage.Find(change.Database, change.Collection!);
        if (store is null || change.DocumentId is null) return null;
        store.Lock.EnterReadLock();
        try
        {
            var recordId = store.FindById(change.DocumentId);
            return recordId < 0 ? null : Documents.FromBytes(store.Get(recordId).Span);
        }
        finally
        {
            store.Lock.ExitReadLock();
        }
    }
}
