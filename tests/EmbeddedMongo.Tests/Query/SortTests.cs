using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Query;

public sealed class SortTests(ServerFixture server)
{
    private async Task<int[]> SortedIds(IMongoCollection<BsonDocument> collection, string sort, Collation? collation = null)
    {
        var options = new FindOptions<BsonDocument> { Sort = QueryCollections.Doc(sort), Collation = collation };
        using var cursor = await collection.FindAsync(FilterDefinition<BsonDocument>.Empty, options, TestContext.Current.CancellationToken);
        return (await cursor.ToListAsync(TestContext.Current.CancellationToken)).Select(d => d["_id"].ToInt32()).ToArray();
    }

    [Fact]
    public async Task Values_of_different_types_sort_in_BSON_order()
    {
        var collection = await server.CollectionWith(
            "{_id: 1, v: 'text'}", "{_id: 2, v: 5}", "{_id: 3}", "{_id: 4, v: {x: 1}}", "{_id: 5, v: true}",
            "{_id: 6, v: ISODate('2020-01-01T00:00:00Z')}", "{_id: 7, v: NumberLong(-1)}", "{_id: 8, v: MinKey}",
            "{_id: 9, v: ObjectId('5f0000000000000000000000')}", "{_id: 10, v: MaxKey}");

        Assert.Equal(new[] { 8, 3, 7, 2, 1, 4, 9, 5, 6, 10 }, await SortedIds(collection, "{v: 1}"));
        Assert.Equal(new[] { 10, 6, 5, 9, 4, 1, 2, 7, 3, 8 }, await SortedIds(collection, "{v: -1}"));
    }

    [Fact]
    public async Task Arrays_sort_by_their_smallest_element_ascending_and_largest_descending()
    {
        var collection = await server.CollectionWith(
            "{_id: 1, v: [1, 10]}", "{_id: 2, v: 5}", "{_id: 3, v: [3, 4]}", "{_id: 4, v: []}");

        Assert.Equal(new[] { 4, 1, 3, 2 }, await SortedIds(collection, "{v: 1}"));
        Assert.Equal(new[] { 1, 2, 3, 4 }, await SortedIds(collection, "{v: -1}"));
    }

    [Fact]
    public async Task Several_keys_and_dotted_paths_sort_in_order()
    {
        var collection = await server.CollectionWith(
            "{_id: 1, g: 'b', n: {v: 1}}", "{_id: 2, g: 'a', n: {v: 2}}", "{_id: 3, g: 'b', n: {v: 3}}",
            "{_id: 4, g: 'a', n: {v: 1}}");

        Assert.Equal(new[] { 2, 4, 3, 1 }, await SortedIds(collection, "{g: 1, 'n.v': -1}"));
    }

    [Fact]
    public async Task A_collation_sorts_strings_by_locale_rules()
    {
        var collection = await server.CollectionWith("{_id: 1, s: 'b'}", "{_id: 2, s: 'B'}", "{_id: 3, s: 'a'}", "{_id: 4, s: 'C'}");

        Assert.Equal(new[] { 2, 4, 3, 1 }, await SortedIds(collection, "{s: 1}"));
        Assert.Equal(new[] { 3, 1, 2, 4 }, await SortedIds(collection, "{s: 1}", new Collation("en")));
    }

    [Theory]
    [InlineData("{v: 2}")]
    [InlineData("{v: 'up'}")]
    [InlineData("{v: {$meta: 'textScore'}}")]
    public async Task An_invalid_sort_fails_with_BadValue(string sort)
    {
        var collection = await server.CollectionWith("{_id: 1, v: 1}");

        var error = await collection.FindFails("{}", sort: sort);

        Assert.Equal(2, error.Code);
    }

    [Fact]
    public async Task An_index_on_the_sort_key_gives_the_same_order()
    {
        var collection = await server.CollectionWith(
            "{_id: 1, v: 'text'}", "{_id: 2, v: 5}", "{_id: 3}", "{_id: 4, v: {x: 1}}", "{_id: 5, v: true}",
            "{_id: 6, v: ISODate('2020-01-01T00:00:00Z')}", "{_id: 7, v: NumberLong(-1)}", "{_id: 8, v: 2.5}");
        await collection.Indexes.CreateOneAsync(
            new CreateIndexModel<BsonDocument>(new BsonDocument("v", 1)), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new[] { 3, 7, 8, 2, 1, 4, 5, 6 }, await SortedIds(collection, "{v: 1}"));
        Assert.Equal(new[] { 6, 5, 4, 1, 2, 8, 7, 3 }, await SortedIds(collection, "{v: -1}"));
    }
}
