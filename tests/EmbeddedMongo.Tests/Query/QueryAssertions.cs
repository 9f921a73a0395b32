using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Query;

internal static class QueryAssertions
{
    /// <summary>The _id values (as ints) of the documents the filter finds, in _id order.</summary>
    public static async Task<int[]> IdsMatching(this IMongoCollection<BsonDocument> collection, string filter, Collation? collation = null)
    {
        var options = new FindOptions<BsonDocument> { Sort = QueryCollections.Doc("{_id: 1}"), Collation = collation };
        using var cursor = await collection.FindAsync(QueryCollections.Doc(filter), options, TestContext.Current.CancellationToken);
        var docs = await cursor.ToListAsync(TestContext.Current.CancellationToken);
        return docs.Select(d => d["_id"].ToInt32()).ToArray();
    }

    public static async Task<MongoCommandException> FindFails(this IMongoCollection<BsonDocument> collection, string filter, string? projection = null, string? sort = null)
    {
        var options = new FindOptions<BsonDocument>
        {
            Projection = projection is null ? null : QueryCollections.Doc(projection),
            Sort = sort is null ? null : QueryCollections.Doc(sort),
        };
        return await Assert.ThrowsAsync<MongoCommandException>(async () =>
        {
            using var cursor = await collection.FindAsync(QueryCollections.Doc(filter), options, TestContext.Current.CancellationToken);
            await cursor.ToListAsync(TestContext.Current.CancellationToken);
        });
    }
}
