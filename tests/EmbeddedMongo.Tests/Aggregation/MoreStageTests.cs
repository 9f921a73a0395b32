using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;
using static Monolith.EmbeddedMongo.Tests.Aggregation.AggregationAssertions;

namespace Monolith.EmbeddedMongo.Tests.Aggregation;

[Collection(AggregationServerCollection.Name)]
public sealed class MoreStageTests(AggregationServerFixture server)
{
    private Task<IMongoCollection<BsonDocument>> Scores() => server.CollectionWith(
        "{_id: 1, team: 'x', score: 10}", "{_id: 2, team: 'x', score: 30}", "{_id: 3, team: 'x', score: 20}",
        "{_id: 4, team: 'y', score: 5}", "{_id: 5, team: 'y', score: 50}", "{_id: 6, team: 'y'}");

    [Fact]
    public async Task Bucket_groups_by_boundaries_with_a_default_bucket()
    {
        var scores = await Scores();

        var result = await scores.Run("""
            [{$bucket: {groupBy: '$score', boundaries: [0, 10, 40], default: 'other', output: {n: {$sum: 1}, ids: {$push: '$_id'}}}}]
            """);

        SameDocuments("[{_id: 0, n: 1, ids: [4]}, {_id: 10, n: 3, ids: [1, 2, 3]}, {_id: 'other', n: 2, ids: [5, 6]}]", result);
    }

    [Fact]
    public async Task Bucket_without_default_fails_for_a_value_outside_the_boundaries()
    {
        var scores = await Scores();

        var error = await scores.Fails("[{$bucket: {groupBy: '$score', boundaries: [0, 10]}}]");

        Assert.Equal(40066, error.Code);
    }

    [Fact]
    public async Task BucketAuto_cuts_sorted_values_into_even_buckets()
    {
        var collection = await server.CollectionWith(Enumerable.Range(1, 10).Select(i => $"{{_id: {i}, v: {i}}}").ToArray());

        var result = await collection.Run("[{$bucketAuto: {groupBy: '$v', buckets: 3}}]");

        SameDocuments("[{_id: {min: 1, max: 4}, count: 3}, {_id: {min: 4, max: 7}, count: 3}, {_id: {min: 7, max: 10}, count: 4}]", result);
    }

    [Fact]
    public async Task Redact_prunes_descends_and_keeps_by_level()
    {
        var collection = await server.CollectionWith(
            "{_id: 1, level: 1, title: 't', sections: [{level: 2, body: 'secret'}, {level: 1, body: 'public', sub: {level: 3}}]}");

        var result = await collection.Run("[{$redact: {$cond: [{$lte: ['$level', 1]}, '$$DESCEND', '$$PRUNE']}}]");

        SameDocuments("[{_id: 1, level: 1, title: 't', sections: [{level: 1, body: 'public'}]}]", result);
    }

    [Fact]
    public async Task GraphLookup_follows_links_to_the_maximum_depth()
    {
        var employees = await server.CollectionWith(
            "{_id: 1, name: 'ceo'}", "{_id: 2, name: 'cto', boss: 1}", "{_id: 3, name: 'dev', boss: 2}", "{_id: 4, name: 'intern', boss: 3}");

        var result = await employees.Run("""
            [{$match: {_id: 4}},
             {$graphLookup: {from: 'EMPLOYEES', startWith: '$boss', connectFromField: 'boss',
                             connectToField: '_id', as: 'chain', maxDepth: 1, depthField: 'depth'}},
             {$project: {chain: {$map: {input: '$chain', in: {n: '$$this.name', d: '$$this.depth'}}}}}]
            """.Replace("EMPLOYEES", employees.CollectionNamespace.CollectionName));

        var chain = Assert.Single(result)["chain"].AsBsonArray.OrderBy(c => c["d"]).ToList();
        SameDocuments("[{n: 'dev', d: NumberLong(0)}, {n: 'cto', d: NumberLong(1)}]", chain.Select(c => c.AsBsonDocument));
    }

    [Fact]
    public async Task N_accumulators_and_top_bottom()
    {
        var scores = await Scores();

        var result = await scores.Run("""
            [{$group: {_id: '$team', firstTwo: {$firstN: {input: '$_id', n: 2}}, lastTwo: {$lastN: {input: '$_id', n: 2}},
                       best: {$maxN: {input: '$score', n: 2}}, worst: {$minN: {input: '$score', n: 2}},
                       top: {$top: {sortBy: {score: -1}, output: '$_id'}}, bottom2: {$bottomN: {sortBy: {score: -1}, output: '$_id', n: 2}}}},
             {$sort: {_id: 1}}]
            """);

        SameDocuments("""
            [{_id: 'x', firstTwo: [1, 2], lastTwo: [2, 3], best: [30, 20], worst: [10, 20], top: 2, bottom2: [3, 1]},
             {_id: 'y', firstTwo: [4, 5], lastTwo: [5, 6], best: [50, 5], worst: [5, 50], top: 5, bottom2: [4, 6]}]
            """, result);
    }
}

[Collection(AggregationServerCollection.Name)]
public sealed class WindowFieldsTests(AggregationServerFixture server)
{
    private Task<IMongoCollection<BsonDocument>> Sales() => server.CollectionWith(
        "{_id: 1, shop: 'a', day: 1, amount: 10}", "{_id: 2, shop: 'a', day: 2, amount: 20}", "{_id: 3, shop: 'a', day: 3, amount: 20}",
        "{_id: 4, shop: 'b', day: 1, amount: 5}", "{_id: 5, shop: 'b', day: 4, amount: 7}");

    [Fact]
    public async Task Running_totals_moving_averages_and_ranks_per_partition()
    {
        var sales = await Sales();

        var result = await sales.Run("""
            [{$setWindowFields: {partitionBy: '$shop', sortBy: {day: 1}, output: {
                running: {$sum: '$amount', window: {documents: ['unbounded', 'current']}},
                moving: {$avg: '$amount', window: {documents: [-1, 0]}},
                total: {$sum: '$amount'},
                rank: {$rank: {}}, dense: {$denseRank: {}}, n: {$documentNumber: {}},
                previous: {$shift: {output: '$amount', by: -1, default: 0}},
                lastTwoDays: {$sum: '$amount', window: {range: [-1, 'current']}}}}},
             {$project: {shop: 0, day: 0, amount: 0}}]
            """);

        SameDocuments("""
            [{_id: 1, running: 10, moving: 10.0, total: 50, rank: 1, dense: 1, n: 1, previous: 0, lastTwoDays: 10},
             {_id: 2, running: 30, moving: 15.0, total: 50, rank: 2, dense: 2, n: 2, previous: 10, lastTwoDays: 30},
             {_id: 3, running: 50, moving: 20.0, total: 50, rank: 3, dense: 3, n: 3, previous: 20, lastTwoDays: 40},
             {_id: 4, running: 5, moving: 5.0, total: 12, rank: 1, dense: 1, n: 1, previous: 0, lastTwoDays: 5},
             {_id: 5, running: 12, moving: 6.0, total: 12, rank: 2, dense: 2, n: 2, previous: 5, lastTwoDays: 7}]
            """, result);
    }

    [Fact]
    public async Task Ties_share_a_rank()
    {
        var sales = await Sales();

        var result = await sales.Run("""
            [{$match: {shop: 'a'}}, {$setWindowFields: {sortBy: {amount: -1}, output: {rank: {$rank: {}}, dense: {$denseRank: {}}}}},
             {$project: {rank: 1, dense: 1}}]
            """);

        SameDocuments("[{_id: 2, rank: 1, dense: 1}, {_id: 3, rank: 1, dense: 1}, {_id: 1, rank: 3, dense: 2}]", result);
    }
}
