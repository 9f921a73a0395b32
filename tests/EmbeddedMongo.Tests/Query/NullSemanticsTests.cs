using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Query;

/// <summary>Null, missing and array cases from MongoDB's own null_query_semantics test.</summary>
public sealed class NullSemanticsTests(ServerFixture server)
{
    private static readonly string[] Documents =
    [
        "{_id: 1, a: {}}", "{_id: 2, a: null}", "{_id: 3, a: 4}", "{_id: 4, a: {b: 'hi'}}", "{_id: 5, a: {b: null}}", "{_id: 6}",
        "{_id: 7, a: [[]]}", "{_id: 8, a: []}", "{_id: 9, a: [{b: null}, {b: null}, {}]}", "{_id: 10, a: [{b: 1}, {b: 3}, {b: 'string'}]}",
        "{_id: 11, a: [{b: null}, {b: 3}, {b: null}]}", "{_id: 12, a: [{b: 3}, {}]}", "{_id: 13, a: [null, null]}",
        "{_id: 14, a: [1, 'string', 4]}", "{_id: 15, a: [1, 'string', null, 4]}",
    ];

    [Theory]
    [InlineData("{a: {$eq: null}}", new[] { 2, 6, 13, 15 })]
    [InlineData("{a: {$ne: null}}", new[] { 1, 3, 4, 5, 7, 8, 9, 10, 11, 12, 14 })]
    [InlineData("{a: {$not: {$gte: null}}}", new[] { 1, 3, 4, 5, 7, 8, 9, 10, 11, 12, 14 })]
    [InlineData("{a: {$in: [null, 75]}}", new[] { 2, 6, 13, 15 })]
    [InlineData("{a: {$nin: [null, /^str.*/]}}", new[] { 1, 3, 4, 5, 7, 8, 9, 10, 11, 12 })]
    [InlineData("{a: {$elemMatch: {$eq: null}}}", new[] { 13, 15 })]
    [InlineData("{a: {$elemMatch: {$ne: null}}}", new[] { 7, 9, 10, 11, 12, 14, 15 })]
    [InlineData("{'a.b': {$eq: null}}", new[] { 1, 2, 3, 5, 6, 9, 11, 12 })]
    [InlineData("{'a.b': {$ne: null}}", new[] { 4, 7, 8, 10, 13, 14, 15 })]
    [InlineData("{'a.b': {$in: [null, 75]}}", new[] { 1, 2, 3, 5, 6, 9, 11, 12 })]
    [InlineData("{'a.b': {$nin: [null, /^str.*/]}}", new[] { 4, 7, 8, 13, 14, 15 })]
    [InlineData("{'a.b': {$elemMatch: {$eq: null}}}", new int[0])]
    [InlineData("{a: {$elemMatch: {b: {$eq: null}}}}", new[] { 7, 9, 11, 12 })]
    [InlineData("{a: {$elemMatch: {b: {$ne: null}}}}", new[] { 10, 11, 12 })]
    public async Task Null_queries_follow_MongoDBs_semantics(string filter, int[] expected)
    {
        var collection = await server.CollectionWith(Documents);

        var ids = await collection.IdsMatching(filter);

        Assert.Equal(expected, ids);
    }

    [Theory]
    [InlineData("{a: {$eq: null}}", new[] { 2, 6, 13, 15 })]
    [InlineData("{a: {$ne: null}}", new[] { 1, 3, 4, 5, 7, 8, 9, 10, 11, 12, 14 })]
    [InlineData("{a: {$not: {$gte: null}}}", new[] { 1, 3, 4, 5, 7, 8, 9, 10, 11, 12, 14 })]
    [InlineData("{a: {$in: [null, 75]}}", new[] { 2, 6, 13, 15 })]
    [InlineData("{a: {$nin: [null, /^str.*/]}}", new[] { 1, 3, 4, 5, 7, 8, 9, 10, 11, 12 })]
    [InlineData("{a: {$elemMatch: {$eq: null}}}", new[] { 13, 15 })]
    [InlineData("{a: {$elemMatch: {$ne: null}}}", new[] { 7, 9, 10, 11, 12, 14, 15 })]
    [InlineData("{'a.b': {$eq: null}}", new[] { 1, 2, 3, 5, 6, 9, 11, 12 })]
    [InlineData("{'a.b': {$ne: null}}", new[] { 4, 7, 8, 10, 13, 14, 15 })]
    [InlineData("{'a.b': {$in: [null, 75]}}", new[] { 1, 2, 3, 5, 6, 9, 11, 12 })]
    [InlineData("{'a.b': {$nin: [null, /^str.*/]}}", new[] { 4, 7, 8, 13, 14, 15 })]
    [InlineData("{'a.b': {$elemMatch: {$eq: null}}}", new int[0])]
    [InlineData("{a: {$elemMatch: {b: {$eq: null}}}}", new[] { 7, 9, 11, 12 })]
    [InlineData("{a: {$elemMatch: {b: {$ne: null}}}}", new[] { 10, 11, 12 })]
    // An index on "a.b" must hold a null key for {a: [{b: 3}, {}]} (the element without b), as MongoDB's does;
    // otherwise an index scan for null skips that document.
    public async Task Null_queries_give_the_same_answers_when_indexes_exist(string filter, int[] expected)
    {
        var collection = await server.CollectionWith(Documents);
        await collection.Indexes.CreateManyAsync(
            [
                new CreateIndexModel<BsonDocument>(new BsonDocument("a", 1)),
                new CreateIndexModel<BsonDocument>(new BsonDocument("a.b", 1)),
            ],
            TestContext.Current.CancellationToken);

        var ids = await collection.IdsMatching(filter);

        Assert.Equal(expected, ids);
    }
}
