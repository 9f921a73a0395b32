using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

// PLACEHOLDER (owned by the query work): no projection.
internal sealed class Projection
{
    public static Projection? Compile(BsonDocument? spec, BsonDocument? filter, QueryContext context) => null;

    public BsonDocument Apply(BsonDocument document, int? positionalIndex) => document;
}
