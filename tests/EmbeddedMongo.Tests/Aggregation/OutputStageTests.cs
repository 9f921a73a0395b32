using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;
using static Monolith.EmbeddedMongo.Tests.Aggregation.AggregationAssertions;

namespace Monolith.EmbeddedMongo.Tests.Aggregation;

[Collection(AggregationServerCollection.Name)]
public sealed class OutputStageTests(AggregationServerFixture server)
{
    private Task<IMongoCollection<BsonDocument>> Sales() => server.CollectionWith(
        "{_id: 1, item: 'a', qty: 2}", "{_id: 2, item: 'b', qty: 1}", "{_id: 3, item: 'a', qty: 10}");

    [Fact]
    public async Task Out_replaces_the_target_collection_and_returns_no_documents()
    {
        var sales = await Sales();
        var target = await server.CollectionWith("{_id: 'old'}");

        var reply = await sales.RunCommand($"[{{$group: {{_id: '$item', total: {{$sum: '$qty'}}}}}}, {{$out: '{target.CollectionNamespace.CollectionName}'}}]");

        Assert.Empty(reply["cursor"]["firstBatch"].AsBsonArray);
        SameDocuments("[{_id: 'a', total: 12}, {_id: 'b', total: 1}]", await target.All());
    }

    [Fact]
    public async Task Out_to_another_database_and_with_generated_ids()
    {
        var sales = await Sales();
        var otherDb = server.Database.Client.GetDatabase("aggregation_tests_out");

        await sales.Run("[{$project: {_id: 0, item: 1}}, {$out: {db: 'aggregation_tests_out', coll: 'items'}}]");

        var written = await otherDb.GetCollection<BsonDocument>("items").All();
        Assert.Equal(3, written.Count);
        Assert.All(written, d => Assert.IsType<BsonObjectId>(d["_id"]));
    }

    [Fact]
    public async Task Merge_defaults_to_merging_matches_and_inserting_the_rest()
    {
        var sales = await Sales();
        var target = await server.CollectionWith("{_id: 'a', total: 100, note: 'kept'}");

        await sales.Run($"[{{$group: {{_id: '$item', total: {{$sum: '$qty'}}}}}}, {{$merge: '{target.CollectionNamespace.CollectionName}'}}]");

        SameDocuments("[{_id: 'a', total: 12, note: 'kept'}, {_id: 'b', total: 1}]", await target.All());
    }

    [Theory]
    [InlineData("replace", "insert", "[{_id: 'a', total: 12}, {_id: 'b', total: 1}]")]
    [InlineData("keepExisting", "insert", "[{_id: 'a', total: 100, note: 'kept'}, {_id: 'b', total: 1}]")]
    [InlineData("merge", "discard", "[{_id: 'a', total: 12, note: 'kept'}]")]
    public async Task Merge_modes(string whenMatched, string whenNotMatched, string expected)
    {
        var sales = await Sales();
        var target = await server.CollectionWith("{_id: 'a', total: 100, note: 'kept'}");

        await sales.Run($$$$"""
            [{$group: {_id: '$item', total: {$sum: '$qty'}}},
             {$merge: {into: '{{{{target.CollectionNamespace.CollectionName}}}}', whenMatched: '{{{{whenMatched}}}}', whenNotMatched: '{{{{whenNotMatched}}}}'}}]
            """);

        SameDocuments(expected, await target.All());
    }

    [Fact]
    public async Task Merge_with_a_pipeline_sees_the_incoming_document_as_new()
    {
        var sales = await Sales();
        var target = await server.CollectionWith("{_id: 'a', total: 100}");

        await sales.Run($$$$"""
            [{$group: {_id: '$item', total: {$sum: '$qty'}}},
             {$merge: {into: {db: 'aggregation_tests', coll: '{{{{target.CollectionNamespace.CollectionName}}}}'},
                       whenMatched: [{$set: {total: {$add: ['$total', '$$new.total']}, merged: true}}], whenNotMatched: 'insert'}}]
            """);

        SameDocuments("[{_id: 'a', total: 112, merged: true}, {_id: 'b', total: 1}]", await target.All());
    }

    [Fact]
    public async Task Merge_on_other_fields_matches_by_them()
    {
        var sales = await Sales();
        var target = await server.CollectionWith("{_id: 1, item: 'a', best: 0}");

        await sales.Run($$$$"""
            [{$group: {_id: '$item', best: {$max: '$qty'}}}, {$project: {_id: 0, item: '$_id', best: 1}},
             {$merge: {into: '{{{{target.CollectionNamespace.CollectionName}}}}', on: 'item', whenMatched: 'merge', whenNotMatched: 'discard'}}]
            """);

        SameDocuments("[{_id: 1, item: 'a', best: 10}]", await target.All());
    }

    [Fact]
    public async Task Merge_whenMatched_fail_reports_the_duplicate_key()
    {
        var target = await server.CollectionWith("{_id: 2, x: 0}");
        var stages = PipelineDefinition<NoPipelineInput, BsonDocument>.Create(AggregationServerFixture.Stages(
            $"[{{$documents: [{{_id: 2, x: 1}}]}}, {{$merge: {{into: '{target.CollectionNamespace.CollectionName}', whenMatched: 'fail'}}}}]"));

        var error = await Assert.ThrowsAnyAsync<MongoCommandException>(() =>
            server.Database.AggregateAsync(stages, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(11000, error.Code);
        Assert.Equal(AggregationServerFixture.Doc("{_id: 1}"), error.Result["keyPattern"].AsBsonDocument);
        Assert.Equal(AggregationServerFixture.Doc("{_id: 2}"), error.Result["keyValue"].AsBsonDocument);
        SameDocuments("[{_id: 2, x: 0}]", await target.All());
    }

    [Fact]
    public async Task Merge_whenNotMatched_fail_is_an_error()
    {
        var sales = await Sales();
        var target = await server.CollectionWith();

        var error = await sales.Fails($"[{{$merge: {{into: '{target.CollectionNamespace.CollectionName}', whenNotMatched: 'fail'}}}}]");

        Assert.Equal(13113, error.Code);
    }
}
