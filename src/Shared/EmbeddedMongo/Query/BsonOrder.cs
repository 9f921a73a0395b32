using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

// PLACEHOLDER (owned by the query work).
internal static class BsonOrder
{
    public static int Compare(BsonValue a, BsonValue b, Collation? collation = null) => a.CompareTo(b);

    public static bool Equal(BsonValue a, BsonValue b, Collation? collation = null) => Compare(a, b, collation) == 0;
}
