using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Query;

public sealed class InvalidFilterTests(ServerFixture server)
{
    [Theory]
    [InlineData("{a: {$foo: 1}}", 2, "unknown operator: $foo")]
    [InlineData("{$foo: 1}", 2, "unknown top level operator: $foo")]
    [InlineData("{a: {$in: 1}}", 2, "$in needs an array")]
    [InlineData("{a: {$nin: 'x'}}", 2, "$nin needs an array")]
    [InlineData("{a: {$all: 1}}", 2, "$all needs an array")]
    [InlineData("{$or: []}", 2, "$or")]
    [InlineData("{$and: [1]}", 2, "$and")]
    [InlineData("{a: {$size: -1}}", 2, "$size")]
    [InlineData("{a: {$mod: [0, 1]}}", 2, "divisor cannot be 0")]
    [InlineData("{a: {$mod: [1]}}", 2, "not enough elements")]
    [InlineData("{a: {$type: 'nonsense'}}", 2, "Unknown type name alias")]
    [InlineData("{a: {$not: 5}}", 2, "$not")]
    [InlineData("{a: {$options: 'i'}}", 2, "$options needs a $regex")]
    [InlineData("{a: {$elemMatch: 1}}", 2, "$elemMatch")]
    [InlineData("{a: {$regex: 'x', $options: 'q'}}", 51108, "invalid flag")]
    public async Task A_malformed_filter_fails_with_MongoDBs_error(string filter, int code, string message)
    {
        var collection = await server.CollectionWith("{_id: 1, a: 1}");

        var error = await collection.FindFails(filter);

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task A_malformed_filter_in_a_delete_fails_and_deletes_nothing()
    {
        var collection = await server.CollectionWith("{_id: 1, a: 1}");

        var error = await Assert.ThrowsAnyAsync<MongoDB.Driver.MongoException>(() =>
            collection.DeleteManyAsync(QueryCollections.Doc("{a: {$bogus: 1}}"), TestContext.Current.CancellationToken));

        Assert.Contains("unknown operator: $bogus", error.Message);
        Assert.Equal(new[] { 1 }, await collection.IdsMatching("{}"));
    }
}
