using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

// PLACEHOLDER (owned by the query work): top-level fields only.
internal sealed class SortSpec : IComparer<BsonDocument>
{
    private SortSpec(IReadOnlyList<(string Path, int Direction)> keys, Collation? collation)
    {
        Keys = keys;
        _collation = collation;
    }

    private readonly Collation? _collation;

    public IReadOnlyList<(string Path, int Direction)> Keys { get; }

    public static SortSpec? Compile(BsonDocument? sort, Collation? collation) =>
        sort is null || sort.ElementCount == 0
            ? null
            : new SortSpec(sort.Select(e => (e.Name, e.Value.ToInt32())).ToList(), collation);

    public int Compare(BsonDocument? x, BsonDocument? y)
    {
        foreach (var (path, direction) in Keys)
        {
            var a = x!.GetValue(path, BsonNull.Value);
            var b = y!.GetValue(path, BsonNull.Value);
            var c = BsonOrder.Compare(a, b, _collation);
            if (c != 0) return direction < 0 ? -c : c;
        }
        return 0;
    }
}
