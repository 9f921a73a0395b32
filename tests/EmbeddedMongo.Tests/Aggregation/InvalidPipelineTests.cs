using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Aggregation;

[Collection(AggregationServerCollection.Name)]
public sealed class InvalidPipelineTests(AggregationServerFixture server)
{
    [Theory]
    [InlineData("[{$foo: {}}]", 40324, "Unrecognized pipeline stage name: '$foo'")]
    [InlineData("[{$match: {}, $limit: 1}]", 40323, "A pipeline stage specification object must contain exactly one field.")]
    [InlineData("[{$out: 'x'}, {$match: {}}]", 40601, "$out can only be the final stage in the pipeline")]
    [InlineData("[{$merge: 'x'}, {$limit: 1}]", 40601, "$merge can only be the final stage in the pipeline")]
    [InlineData("[{$facet: {a: [{$out: 'x'}]}}]", 40600, "$out is not allowed to be used within a $facet stage")]
    [InlineData("[{$group: {n: {$sum: 1}}}]", 15955, "a group specification must include an _id")]
    [InlineData("[{$group: {_id: null, n: {$bogus: 1}}}]", 15952, "unknown group operator '$bogus'")]
    [InlineData("[{$group: {_id: null, n: 1}}]", 40234, "The field 'n' must be an accumulator object")]
    [InlineData("[{$group: {_id: null, 'a.b': {$sum: 1}}}]", 40235, "The field name 'a.b' cannot contain '.'")]
    [InlineData("[{$project: {a: 1, b: 0}}]", 31254, "Cannot do exclusion on field b in inclusion projection")]
    [InlineData("[{$project: {a: 0, b: 1}}]", 31253, "Cannot do inclusion on field b in exclusion projection")]
    [InlineData("[{$project: {}}]", 51272, "projection specification must have at least one field")]
    [InlineData("[{$project: {a: 1, 'a.b': 1}}]", 31250, "Path collision at a.b")]
    [InlineData("[{$project: {v: {$nonsense: 1}}}]", 168, "Unrecognized expression '$nonsense'")]
    [InlineData("[{$sort: {a: 2}}]", 15975, "$sort key ordering must be 1 (for ascending) or -1 (for descending)")]
    [InlineData("[{$sort: {}}]", 15976, "$sort stage must have at least one sort key")]
    [InlineData("[{$limit: 0}]", 15958, "the limit must be positive")]
    [InlineData("[{$limit: 'x'}]", 15957, "the limit must be specified as a number")]
    [InlineData("[{$skip: -1}]", 15956, "cannot be negative")]
    [InlineData("[{$unwind: 'a'}]", 28818, "path option to $unwind stage should be prefixed with a '$': a")]
    [InlineData("[{$unwind: {path: '$a', bogus: 1}}]", 28811, "unrecognized option to $unwind stage")]
    [InlineData("[{$project: {a: {'b.c': 1}}}]", 40183, "cannot use dotted field name 'b.c' in a sub object")]
    [InlineData("[{$changeStream: {}}]", 40573, "The $changeStream stage is only supported on replica sets")]
    [InlineData("[{$unwind: ''}]", 28812, "no path specified to $unwind stage")]
    [InlineData("[{$unwind: 5}]", 15981, "expected either a string or an object as specification for $unwind stage, got int")]
    [InlineData("[{$group: {_id: null, s: {$sum: []}}}]", 40237, "The $sum accumulator is a unary operator")]
    [InlineData("[{$match: 1}]", 15959, "the match filter must be an expression in an object")]
    [InlineData("[{$skip: 'x'}]", 15972, "Argument to $skip must be a number")]
    [InlineData("[{$lookup: {from: 'x', as: 'y'}}]", 9, "$lookup requires either 'pipeline' or both 'localField' and 'foreignField' to be specified")]
    [InlineData("[{$lookup: {from: 'x', as: 'y', pipeline: [{$out: 'z'}]}}]", 51047, "$out is not allowed within a $lookup's sub-pipeline")]
    [InlineData("[{$count: ''}]", 40156, "the count field must be a non-empty string")]
    [InlineData("[{$count: '$n'}]", 40158, "the count field cannot be a $-prefixed path")]
    [InlineData("[{$replaceRoot: {newRoot: '$a'}}]", 40228, "'newRoot' expression must evaluate to an object")]
    [InlineData("[{$lookup: {from: 'x', localField: 'a', foreignField: 'b'}}]", 9, "must specify 'as' field for a $lookup")]
    [InlineData("[{$unset: []}]", 31119, "$unset specification must be a string or an array with at least one field")]
    [InlineData("[{$facet: {}}]", 40169, "the $facet specification must be a non-empty object")]
    public async Task A_malformed_pipeline_fails_with_MongoDBs_error(string pipeline, int code, string message)
    {
        var collection = await server.CollectionWith("{_id: 1, a: 1}");

        var error = await collection.Fails(pipeline);

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message);
    }
}
