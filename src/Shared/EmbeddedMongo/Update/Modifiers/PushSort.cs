using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>
/// The <c>$sort</c> of $push: 1/-1 orders whole elements; <c>{field: 1/-1}</c> orders by (dotted) fields, where a
/// non-document element or a missing field counts as null.
/// </summary>
internal sealed class PushSort
{
    private readonly int _wholeDirection;
    private readonly List<(string Path, int Direction)> _keys = [];

    private PushSort(int wholeDirection) => _wholeDirection = wholeDirection;

    public static PushSort Parse(BsonValue spec)
    {
        switch (spec)
        {
            case BsonDocument pattern:
            {
                if (pattern.ElementCount == 0)
                    throw MongoError.BadValue("The $sort pattern is empty when it should be a set of fields.");
                var sort = new PushSort(0);
                foreach (var key in pattern)
                {
                    sort._keys.Add((key.Name, Direction(key.Value)));
                    if (key.Name.Length == 0) throw MongoError.BadValue("The $sort field cannot be empty");
                    if (key.Name.Split('.').Any(p => p.Length == 0))
                        throw MongoError.BadValue($"The $sort field is a dotted field but has an empty part: {key.Name}");
                }
                return sort;
            }
            case var number when BsonArithmetic.IsNumber(number):
                return new PushSort(Direction(number));
            default:
                throw MongoError.BadValue(
                    "The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields");
        }
    }

    private static int Direction(BsonValue value)
    {
        var d = BsonArithmetic.IsNumber(value) ? value.ToDouble() : 0;
        return d switch
        {
            1 => 1,
            -1 => -1,
            _ => throw MongoError.BadValue("The $sort element value must be either 1 or -1"),
        };
    }

    public int Compare(BsonValue x, BsonValue y, Collation? collation)
    {
        if (_wholeDirection != 0) return _wholeDirection * BsonOrder.Compare(x, y, collation);
        foreach (var (path, direction) in _keys)
        {
            var c = BsonOrder.Compare(Key(x, path), Key(y, path), collation);
            if (c != 0) return direction * c;
        }
        return 0;
    }

    private static BsonValue Key(BsonValue element, string path) =>
        element is BsonDocument d ? UpdatePaths.Get(d, path) ?? BsonNull.Value : BsonNull.Value;
}
