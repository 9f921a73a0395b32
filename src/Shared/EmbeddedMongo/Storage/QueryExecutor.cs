using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>A stored document that matched a filter.</summary>
internal readonly record struct Match(int RecordId, ReadOnlyMemory<byte> Bytes, BsonDocument Document, int? PositionalIndex);

/// <summary>What a query looked at, for explain.</summary>
internal sealed class ScanStats
{
    public long KeysExamined;
    public long DocsExamined;
}

/// <summary>Runs a plan over a collection and yields the matching documents. The caller holds the read lock.</summary>
internal static class QueryExecutor
{
    public static IEnumerable<Match> Run(CollectionStore collection, ScanPlan plan, Filter filter, ScanStats? stats = null)
    {
        if (plan.Index is null)
        {
            foreach (var (recordId, bytes) in collection.All())
            {
                if (stats is not null) stats.DocsExamined++;
                var document = Documents.FromBytes(bytes.Span);
                if (filter.Matches(document, out var positional)) yield return new Match(recordId, bytes, document, positional);
            }
            yield break;
        }
        HashSet<int>? seen = plan.Index.IsMultikey || plan.Ranges.Count > 1 ? [] : null;
        foreach (var recordId in RecordIds(plan))
        {
            if (stats is not null) stats.KeysExamined++;
            if (seen is not null && !seen.Add(recordId)) continue;
            var bytes = collection.Get(recordId);
            if (bytes.IsEmpty) continue;
            if (stats is not null) stats.DocsExamined++;
            var document = Documents.FromBytes(bytes.Span);
            if (filter.Matches(document, out var positional)) yield return new Match(recordId, bytes, document, positional);
        }
    }

    private static IEnumerable<int> RecordIds(ScanPlan plan)
    {
        var index = plan.Index!;
        if (plan.Ranges.Count == 0)
        {
            foreach (var entry in index.All(plan.Reverse)) yield return entry.RecordId;
            yield break;
        }
        foreach (var (start, end) in plan.Ranges)
        {
            foreach (var entry in index.Scan(start, end, plan.Reverse)) yield return entry.RecordId;
        }
    }
}
