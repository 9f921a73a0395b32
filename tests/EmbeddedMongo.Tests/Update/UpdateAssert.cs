using MongoDB.Bson;
using Xunit;
using MongoDB.Driver;

namespace Monolith.EmbeddedMongo.Tests.Update;

internal static class UpdateAssert
{
    /// <summary>The collection holds exactly these documents (JSON), compared with types and field order.</summary>
    public static async Task Holds(IMongoCollection<BsonDocument> collection, params string[] expected)
    {
        var actual = await UpdateServer.All(collection);
        Assert.Equal(expected.Select(e => BsonDocument.Parse(e).ToJson()), actual.Select(a => a.ToJson()));
    }

    /// <summary>A raw update reply reports one write error with <paramref name="code"/>.</summary>
    public static void WriteError(BsonDocument reply, int code)
    {
        Assert.True(reply.Contains("writeErrors"), $"expected write error {code}, got {reply.ToJson()}");
        var error = reply["writeErrors"][0].AsBsonDocument;
        Assert.Equal(code, error["code"].ToInt32());
        Assert.Equal(0, reply["nModified"].ToInt32());
    }

    public static void Counts(UpdateResult result, long matched, long modified)
    {
        Assert.Equal(matched, result.MatchedCount);
        Assert.Equal(modified, result.ModifiedCount);
    }
}
