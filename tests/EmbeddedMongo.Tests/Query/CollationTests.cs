using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Query;

public sealed class CollationTests(ServerFixture server)
{
    private static readonly string[] Documents =
    [
        "{_id: 1, s: 'cafe'}", "{_id: 2, s: 'Cafe'}", "{_id: 3, s: 'café'}", "{_id: 4, s: 'CAFÉ'}", "{_id: 5, s: 'tea'}",
    ];

    [Theory]
    [InlineData(3, new[] { 1 })]
    [InlineData(2, new[] { 1, 2 })]
    [InlineData(1, new[] { 1, 2, 3, 4 })]
    public async Task Equality_follows_the_collation_strength(int strength, int[] expected)
    {
        var collection = await server.CollectionWith(Documents);

        var ids = await collection.IdsMatching("{s: 'cafe'}", new Collation("en", strength: (CollationStrength)strength));

        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task Without_a_collation_strings_compare_by_bytes()
    {
        var collection = await server.CollectionWith(Documents);

        Assert.Equal(new[] { 1 }, await collection.IdsMatching("{s: 'cafe'}"));
        Assert.Equal(new[] { 1, 3, 5 }, await collection.IdsMatching("{s: {$gt: 'a'}}"));
    }

    [Fact]
    public async Task In_and_range_operators_use_the_collation()
    {
        var collection = await server.CollectionWith(Documents);
        var caseInsensitive = new Collation("en", strength: CollationStrength.Secondary);

        Assert.Equal(new[] { 1, 2, 5 }, await collection.IdsMatching("{s: {$in: ['CAFE', 'TEA']}}", caseInsensitive));
        Assert.Equal(new[] { 5 }, await collection.IdsMatching("{s: {$gt: 'CAFÉ'}}", caseInsensitive));
    }

    [Fact]
    public async Task An_unknown_locale_is_rejected()
    {
        var collection = await server.CollectionWith(Documents);

        var error = await Assert.ThrowsAsync<MongoCommandException>(() =>
            collection.IdsMatching("{s: 'cafe'}", new Collation("xx_NOT_A_LOCALE")));

        Assert.Equal(2, error.Code);
    }

    [Fact]
    public async Task An_index_with_the_same_collation_finds_the_same_documents()
    {
        var collection = await server.CollectionWith(Documents);
        var caseInsensitive = new Collation("en", strength: CollationStrength.Secondary);
        await collection.Indexes.CreateOneAsync(
            new CreateIndexModel<BsonDocument>(new BsonDocument("s", 1), new CreateIndexOptions { Collation = caseInsensitive }),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new[] { 1, 2 }, await collection.IdsMatching("{s: 'CAFE'}", caseInsensitive));
        Assert.Equal(new[] { 3, 4 }, await collection.IdsMatching("{s: 'café'}", caseInsensitive));
        Assert.Equal(new int[0], await collection.IdsMatching("{s: 'CAFE'}"));
    }
}
