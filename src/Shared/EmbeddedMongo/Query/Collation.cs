using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

// PLACEHOLDER (owned by the query work): simple binary comparison until collation lands.
internal sealed class Collation
{
    public static Collation? Parse(BsonDocument? spec) => null;

    public int Compare(string a, string b) => string.CompareOrdinal(a, b);
}
