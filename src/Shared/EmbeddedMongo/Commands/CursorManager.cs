using System.Collections.Concurrent;
using MongoDB.Bson;
using Monolith.EmbeddedMongo.Wire;

namespace Monolith.EmbeddedMongo.Commands;

/// <summary>Open cursors: the rest of a result, handed out in batches by getMore until exhausted, killed or idle too long.</summary>
internal sealed class CursorManager
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);
    private const int BatchBytesLimit = WireLimits.MaxBsonObjectSize - 64 * 1024;
    private readonly ConcurrentDictionary<long, Cursor> _cursors = new();
    private long _lastSweep = Environment.TickCount64;

    public int OpenCount => _cursors.Count;

    /// <summary>Takes the first batch and registers a cursor when more remains. Returns the cursor reply document.</summary>
    public BsonDocument FirstBatch(string ns, IEnumerable<BsonDocument> results, int? batchSize, bool singleBatch)
    {
        SweepIdle();
        var enumerator = results.GetEnumerator();
        var batch = TakeBatch(enumerator, batchSize ?? 101, out var exhausted);
        long id = 0;
        if (!exhausted && !singleBatch)
        {
            id = NewId();
            _cursors[id] = new Cursor(ns, enumerator);
        }
        else
        {
            enumerator.Dispose();
        }
        return new BsonDocument { { "id", id }, { "ns", ns }, { "firstBatch", batch } };
    }

    /// <summary>Registers a tailable cursor (a change stream) and returns its first batch without waiting.</summary>
    public BsonDocument OpenTailable(string ns, ITailableSource source, int? batchSize)
    {
        SweepIdle();
        var batch = source.NextBatch(batchSize ?? 101, TimeSpan.Zero, out var closed);
        long id = 0;
        if (!closed)
        {
            id = NewId();
            _cursors[id] = new Cursor(ns, Enumerable.Empty<BsonDocument>().GetEnumerator()) { Tailable = source };
        }
        return new BsonDocument { { "id", id }, { "ns", ns }, { "firstBatch", batch }, { "postBatchResumeToken", source.ResumeToken } };
    }

    public BsonDocument NextBatch(long id, string ns, int? batchSize, TimeSpan? maxAwait = null)
    {
        SweepIdle();
        if (!_cursors.TryGetValue(id, out var cursor)) throw MongoError.CursorNotFound(id);
        if (cursor.Namespace != ns)
            throw MongoError.Unauthorized($"Requested getMore on namespace '{ns}', but cursor belongs to a different namespace {cursor.Namespace}");
        if (cursor.Tailable is { } source)
        {
            lock (cursor)
            {
                var batch = source.NextBatch(batchSize ?? 101, maxAwait ?? TimeSpan.FromSeconds(1), out var closed);
                cursor.LastUsed = Environment.TickCount64;
                if (closed) Kill(id);
                return new BsonDocument { { "id", closed ? 0L : id }, { "ns", ns }, { "nextBatch", batch }, { "postBatchResumeToken", source.ResumeToken } };
            }
        }
        lock (cursor)
        {
            cursor.LastUsed = Environment.TickCount64;
            var batch = TakeBatch(cursor.Enumerator, batchSize ?? int.MaxValue, out var exhausted);
            if (exhausted && _cursors.TryRemove(id, out _)) cursor.Enumerator.Dispose();
            return new BsonDocument { { "id", exhausted ? 0L : id }, { "ns", ns }, { "nextBatch", batch } };
        }
    }

    public bool Kill(long id)
    {
        if (!_cursors.TryRemove(id, out var cursor)) return false;
        lock (cursor) cursor.Enumerator.Dispose();
        return true;
    }

    private static BsonArray TakeBatch(IEnumerator<BsonDocument> enumerator, int batchSize, out bool exhausted)
    {
        var batch = new BsonArray();
        long bytes = 0;
        if (batchSize <= 0) batchSize = int.MaxValue;
        while (batch.Count < batchSize)
        {
            if (!enumerator.MoveNext())
            {
                exhausted = true;
                return batch;
            }
            batch.Add(enumerator.Current);
            bytes += enumerator.Current is RawBsonDocument raw ? raw.Slice.Length : 256;
            if (bytes >= BatchBytesLimit) break;
        }
        exhausted = false;
        return batch;
    }

    private static long NewId()
    {
        Span<byte> buffer = stackalloc byte[8];
        System.Security.Cryptography.RandomNumberGenerator.Fill(buffer);
        return BitConverter.ToInt64(buffer) & long.MaxValue | 1;
    }

    private void SweepIdle()
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastSweep) < 10_000) return;
        Interlocked.Exchange(ref _lastSweep, now);
        foreach (var (id, cursor) in _cursors)
        {
            if (now - cursor.LastUsed > IdleTimeout.TotalMilliseconds) Kill(id);
        }
    }

    private sealed class Cursor(string ns, IEnumerator<BsonDocument> enumerator)
    {
        public string Namespace { get; } = ns;
        public IEnumerator<BsonDocument> Enumerator { get; } = enumerator;
        public ITailableSource? Tailable { get; init; }
        public long LastUsed { get; set; } = Environment.TickCount64;
    }
}
