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

    /// <summary>
    /// <c>{_id: scalar}</c> with nothing else to apply is answered straight from the _id index. Equality on a scalar
    /// _id is exactly an index-key match (numbers compare by value, strings binary without a collation).
    /// </summary>
    private bool IsPointLookupById(out BsonValue id)
    {
        id = BsonNull.Value;
        if (Filter.ElementCount != 1 || Projection is not null || Skip != 0 || Hint is not null || Context.Collation is not null) return false;
        var element = Filter.GetElement(0);
        if (element.Name != "_id" || element.Value is BsonDocument or BsonArray or BsonRegularExpression or BsonNull or BsonUndefined) return false;
        id = element.Value;
        return true;
    }

    private static List<BsonDocument> FindById(CollectionStore collection, BsonValue id)
    {
        collection.Lock.EnterReadLock();
        try
        {
            var recordId = collection.FindById(id);
            return recordId < 0 ? [] : [Documents.Raw(collection.Get(recordId))];
        }
        finally
        {
            collection.Lock.ExitReadLock();
        }
    }

    /// <summary>Returns the results as a list (a stable snapshot), stored bytes passed through when unprojected.</summary>
    public List<BsonDocument> Execute(CollectionStore? collection, ScanStats? stats = null) =>
        Execute(collection, stats, out _);

    public List<BsonDocument> Execute(CollectionStore? collection, ScanStats? stats, out ScanPlan plan)
    {
        plan = ScanPlan.CollectionScan;
        if (Skip < 0) throw MongoError.BadValue("skip value must be non-negative");
        var transaction = Transactions.Transaction.Current;
        if (collection is not null && stats is null && transaction is null && IsPointLookupById(out var id)) return FindById(collection, id);
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
            var overrides = transaction?.Overrides(collection);
            if (overrides is not null) matches = Transactions.TransactionView.Overlay(matches, overrides, filter);
            List<Match> ordered;
            if (sort is not null && (!plan.ProvidesSort || overrides is not null) && sort.Natural is null)
            {
                ordered = sort.SortTop(matches, m => m.Document, limit == long.MaxValue ? long.MaxValue : Skip + limit);
            }
            else
            {
                ordered = matches.Take((int)Math.Min(int.MaxValue, Skip + limit)).ToList();
            }
            if (sort?.Natural < 0) ordered.Reverse();
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
