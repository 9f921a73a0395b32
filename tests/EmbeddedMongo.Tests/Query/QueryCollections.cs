using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Query;

internal static class QueryCollections
{
    /// <summary>A collection in a database of its own holding the given documents (extended JSON).</summary>
    public static async Task<IMongoCollection<BsonDocument>> CollectionWith(this ServerFixture server, params string[] documents)
    {
        var collection = server.NewDatabase("query").GetCollection<BsonDocument>("c");
        if (documents.Length > 0)
            await collection.InsertManyAsync(documents.Select(Doc), cancellationToken: TestContext.Current.CancellationToken);
        return collection;
    }

    public static BsonDocument Doc(string json) => BsonSerializer.Deserialize<BsonDocument>(json);
}
