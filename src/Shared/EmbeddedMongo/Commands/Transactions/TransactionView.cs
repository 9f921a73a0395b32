using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;
using Monolith.EmbeddedMongo.Storage;

namespace Monolith.EmbeddedMongo.Commands.Transactions;

/// <summary>
/// A transaction's reads: the stored documents the plan finds, except those that differ in the transaction's view,
/// which are replaced by their snapshot version or the transaction's own write (then checked against the filter).
/// Any document whose view differs from what is stored is in the overrides, so the plan's candidates plus the
/// overrides are exactly the view's matches.
/// </summary>
internal static class TransactionView
{
    public static IEnumerable<Match> Overlay(IEnumerable<Match> stored, Dictionary<BsonValue, BsonDocument?> overrides, Filter filter)
    {
        foreach (var match in stored)
        {
            if (!overrides.ContainsKey(match.Document["_id"])) yield return match;
        }
        foreach (var (_, document) in overrides)
        {
            if (document is not null && filter.Matches(document, out var positional))
                yield return new Match(-1, Documents.ToBytes(document), document, positional);
        }
    }

    /// <summary>Every document of the collection as the current transaction sees it (for $lookup and friends). Caller holds the lock.</summary>
    public static List<BsonDocument> All(CollectionStore collection, Transaction transaction)
    {
        var overrides = transaction.Overrides(collection);
        var result = new List<BsonDocument>(collection.Count);
        foreach (var (_, bytes) in collection.All())
        {
            var document = Documents.FromBytes(bytes.Span);
            if (overrides is null || !overrides.ContainsKey(document["_id"])) result.Add(document);
        }
        if (overrides is not null) result.AddRange(overrides.Values.OfType<BsonDocument>());
        return result;
    }
}
