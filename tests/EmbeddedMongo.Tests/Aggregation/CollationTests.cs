using MongoDB.Driver;
using Xunit;
using static Monolith.EmbeddedMongo.Tests.Aggregation.AggregationAssertions;

namespace Monolith.EmbeddedMongo.Tests.Aggregation;

[Collection(AggregationServerCollection.Name)]
public sealed class CollationTests(AggregationServerFixture server)
{
    private static AggregateOptions CaseInsensitive => new() { Collation = new Collation("en", strength: CollationStrength.Secondary) };

    [Fact]
    public async Task Group_keys_and_addToSet_use_the_collation()
    {
        var collection = await server.CollectionWith("{_id: 1, n: 'apple'}", "{_id: 2, n: 'APPLE'}", "{_id: 3, n: 'pear'}");

        var result = await collection.Run(
            "[{$group: {_id: '$n', ids: {$push: '$_id'}, names: {$addToSet: '$n'}}}, {$sort: {_id: 1}}]", CaseInsensitive);

        SameDocuments("[{_id: 'apple', ids: [1, 2], names: ['apple']}, {_id: 'pear', ids: [3], names: ['pear']}]", result);
    }

    [Fact]
    public async Task Comparison_expressions_and_match_use_the_collation()
    {
        var collection = await server.CollectionWith("{_id: 1, n: 'apple'}", "{_id: 2, n: 'pear'}");

        var result = await collection.Run(
            "[{$match: {n: 'APPLE'}}, {$project: {eq: {$eq: ['$n', 'Apple']}, in: {$in: ['APPLE', ['x', '$n']]}, cmp: {$cmp: ['$n', 'APPLE']}}}]",
            CaseInsensitive);

        SameDocuments("[{_id: 1, eq: true, in: true, cmp: 0}]", result);
    }

    [Fact]
    public async Task Without_a_collation_strings_compare_binary()
    {
        var collection = await server.CollectionWith("{_id: 1, n: 'apple'}", "{_id: 2, n: 'APPLE'}");

        var result = await collection.Run("[{$group: {_id: '$n', c: {$sum: 1}}}, {$sort: {_id: 1}}]");

        SameDocuments("[{_id: 'APPLE', c: 1}, {_id: 'apple', c: 1}]", result);
    }
}
