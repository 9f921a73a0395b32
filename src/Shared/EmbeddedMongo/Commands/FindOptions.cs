using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;
using Monolith.EmbeddedMongo.Storage;

namespace Monolith.EmbeddedMongo.Commands;

/// <summary>A read: filter, sort, skip, limit and projection, compiled once; runs under the collection's read lock.</summary>
internal sealed class FindOptions
{
    public BsonDocument Filter { get; init; } = [];
    public BsonDocument? Sort { get; init; }
    public BsonDocument? Projection { get; init; }
    public long Skip { get; init; }
    public long Limit { get; init; }
    public BsonValue? Hint { get; init; }
    public BsonDocument? CollationSpec { get; init; }
    public required QueryContext Context { get; init; }

    private const int TopKLimit = 10_000;

    /// <summary>The first <paramref name="k"/> matches in sort order, keeping ties in scan order (a stable partial sort).</summary>
    private static List<Match> TopK(IEnumerable<Match> matches, SortSpec sort, int k)
    {
        var top = new List<Match>(Math.Min(k, 1024));
        foreach (var match in matches)
        {
            if (top.Count == k && sort.Compare(match.Document, top[^1].Document) >= 0) continue;
            int lo = 0, hi = top.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (sort.Compare(top[mid].Document, match.Document) <= 0) lo = mid + 1;
                else hi = mid;
            }
            top.Insert(lo, match);
            if (top.Count > k) top.RemoveAt(top.Count - 1);
        }
        return top;
    }

    /// <summary>Returns the results as a list (a stable snapshot), stored bytes passed through when unprojected.</summary>
    public List<BsonDocument> Execute(CollectionStore? collection, ScanStats? stats = null) =>
        Execute(collection, stats, out _);

    public List<BsonDocument> Execute(CollectionStore? collection, ScanStats? stats, out ScanPlan plan)
    {
        plan = ScanPlan.CollectionScan;
        if (Skip < 0) throw MongoError.BadValue("skip value must be non-negative");
        var filter = Query.Filter.Compile(Filter, Context);
        var sort = SortSpec.Compile(Sort, Context.Collation);
        var projection = Query.Projection.Compile(Projection, Filter, Context);
        if (collection is null) return [];
        var limit = Limit == 0 ? long.MaxValue : Math.Abs(Limit);
        collection.Lock.EnterReadLock();
        try
        {
            plan = QueryPlanner.Plan(collection, Filter, Sort, Hint, CollationSpec);
            var matches = QueryExecutor.Run(collection, plan, filter, stats);
            List<Match> ordered;
            if (sort is not null && !plan.ProvidesSort)
            {
                ordered = Skip + limit <= TopKLimit
                    ? TopK(matches, sort, (int)(Skip + limit))
                    : matches.OrderBy(m => m.Document, sort).ToList();
            }
            else
            {
                ordered = matches.Take((int)Math.Min(int.MaxValue, Skip + limit)).ToList();
            }
            var results = new List<BsonDocument>();
            foreach (var match in ordered.Skip((int)Math.Min(int.MaxValue, Skip)))
            {
                if (results.Count >= limit) break;
                results.Add(projection is null ? Documents.Raw(match.Bytes) : projection.Apply(match.Document, match.PositionalIndex));
            }
            return results;
        }
        finally
        {
            collection.Lock.ExitReadLock();
        }
    }
}
