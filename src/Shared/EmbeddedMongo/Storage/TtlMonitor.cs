using Microsoft.Extensions.Logging;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>Deletes documents whose TTL-indexed date is older than the index's expireAfterSeconds, like mongod's TTL monitor.</summary>
internal sealed class TtlMonitor(StorageEngine storage, TimeSpan interval, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop = RunAsync();

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) Sweep(DateTime.UtcNow);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public int Sweep(DateTime now)
    {
        var deleted = 0;
        foreach (var (_, collection) in storage.AllCollections().ToList())
        {
            foreach (var index in collection.Indexes.Where(i => i.Definition.ExpireAfterSeconds is not null && i.Definition.Fields.Length == 1).ToList())
            {
                try
                {
                    deleted += SweepIndex(collection, index, now);
                }
                catch (Versions.DocumentLockedException)
                {
                    // An open transaction holds a document; the next sweep deletes it if it is still expired.
                }
                catch (Exception ex) when (ex is MongoError or InvalidOperationException)
                {
                    logger.LogWarning(ex, "TTL sweep of {Namespace} failed", collection.Namespace);
                }
            }
        }
        return deleted;
    }

    private static int SweepIndex(CollectionStore collection, IndexStore index, DateTime now)
    {
        var cutoff = now.AddSeconds(-index.Definition.ExpireAfterSeconds!.Value);
        BsonValue low = new BsonDateTime(long.MinValue), high = new BsonDateTime(cutoff);
        var ascending = index.Definition.Fields[0].Direction > 0;
        collection.Lock.EnterWriteLock();
        try
        {
            var expired = new List<(int, BsonDocument)>();
            foreach (var recordId in index.Scan([ascending ? low : high], [ascending ? high : low], false).Select(e => e.RecordId).Distinct().ToList())
            {
                var bytes = collection.Get(recordId);
                if (!bytes.IsEmpty) expired.Add((recordId, Documents.FromBytes(bytes.Span)));
            }
            foreach (var (recordId, document) in expired) collection.Delete(recordId, document);
            return expired.Count;
        }
        finally
        {
            collection.Lock.ExitWriteLock();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        _stop.Dispose();
    }
}
