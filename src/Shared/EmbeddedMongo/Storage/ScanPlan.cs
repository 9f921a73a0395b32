using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>How a query reads a collection: a full scan, or index ranges (optionally giving the requested order).</summary>
internal sealed class ScanPlan
{
    public static readonly ScanPlan CollectionScan = new(null, [], false, false);

    public ScanPlan(IndexStore? index, List<(BsonValue[] Start, BsonValue[] End)> ranges, bool reverse, bool providesSort)
    {
        Index = index;
        Ranges = ranges;
        Reverse = reverse;
        ProvidesSort = providesSort;
    }

    public IndexStore? Index { get; }

    /// <summary>Key ranges in index order; an index plan with no ranges scans the whole index.</summary>
    public List<(BsonValue[] Start, BsonValue[] End)> Ranges { get; }
    public bool Reverse { get; }
    public bool ProvidesSort { get; }

    public BsonDocument Describe()
    {
        if (Index is null) return new BsonDocument("stage", "COLLSCAN");
        var bounds = new BsonDocument();
        for (var i = 0; i < Index.Definition.Fields.Length; i++)
        {
            var field = Index.Definition.Fields[i];
            var list = new BsonArray();
            foreach (var (start, end) in Ranges) list.Add($"[{start[i]}, {end[i]}]");
            if (Ranges.Count == 0) list.Add("[MinKey, MaxKey]");
            if (!bounds.Contains(field.Path)) bounds.Add(field.Path, list);
        }
        return new BsonDocument
        {
            { "stage", "FETCH" },
            {
                "inputStage", new BsonDocument
                {
                    { "stage", "IXSCAN" },
                    { "keyPattern", Index.Definition.KeyPattern },
                    { "indexName", Index.Definition.Name },
                    { "isMultiKey", Index.IsMultikey },
                    { "isUnique", Index.Definition.Unique || Index.Definition.IsIdIndex },
                    { "isSparse", Index.Definition.Sparse },
                    { "isPartial", Index.Definition.PartialFilter is not null },
                    { "direction", Reverse ? "backward" : "forward" },
                    { "indexBounds", bounds },
                }
            },
        };
    }
}
