using MongoDB.Bson;
using Xunit;
using MongoDB.Driver;

namespace Monolith.EmbeddedMongo.Tests.Update;

public sealed class ReplacementAndPipelineTests(UpdateServer server) : IClassFixture<UpdateServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replacement_keeps_the_id_and_drops_the_other_fields()
    {
        var c = await server.CollectionWith("{_id: 1, a: 1, b: 2}");
        var result = await c.ReplaceOneAsync("{_id: 1}", BsonDocument.Parse("{c: 3, 'd.e': 4, f: {$g: 5}}"), cancellationToken: Ct);
        Assert.Equal(1, result.ModifiedCount);
        await UpdateAssert.Holds(c, "{_id: 1, c: 3, 'd.e': 4, f: {$g: 5}}");
    }

    [Fact]
    public async Task Replacement_identical_to_the_stored_document_is_not_a_modification()
    {
        var c = await server.CollectionWith("{_id: 1, a: 1}");
        var result = await c.ReplaceOneAsync("{_id: 1}", BsonDocument.Parse("{_id: 1, a: 1}"), cancellationToken: Ct);
        Assert.Equal(1, result.MatchedCount);
        Assert.Equal(0, result.ModifiedCount);
    }

    [Fact]
    public async Task An_empty_update_document_is_a_replacement_that_keeps_only_the_id()
    {
        var c = await server.CollectionWith("{_id: 1, a: 1}");
        var reply = await server.RawUpdate(c, "{q: {_id: 1}, u: {}}");
        Assert.Equal(1, reply["nModified"].ToInt32());
        await UpdateAssert.Holds(c, "{_id: 1}");
    }

    [Fact]
    public async Task Replacement_with_another_id_is_rejected()
    {
        var c = await server.CollectionWith("{_id: 1, a: 1}");
        var error = await Assert.ThrowsAsync<MongoWriteException>(() =>
            c.ReplaceOneAsync("{_id: 1}", BsonDocument.Parse("{_id: 2, a: 2}"), cancellationToken: Ct));
        Assert.Equal(66, error.WriteError.Code);
        await UpdateAssert.Holds(c, "{_id: 1, a: 1}");
    }

    [Fact]
    public async Task Pipeline_update_runs_the_stages_on_each_document_and_keeps_the_id()
    {
        var c = await server.CollectionWith("{_id: 1, x: 1, y: 1, t: {u: 1}}", "{_id: 2, x: 2, y: 1}");
        var pipeline = new BsonDocumentStagePipelineDefinition<BsonDocument, BsonDocument>(
        [
            BsonDocument.Parse("{$project: {x: 1}}"),
            BsonDocument.Parse("{$addFields: {foo: 1}}"),
        ]);
        var result = await c.UpdateManyAsync("{}", Builders<BsonDocument>.Update.Pipeline(pipeline), cancellationToken: Ct);
        Assert.Equal(2, result.ModifiedCount);
        await UpdateAssert.Holds(c, "{_id: 1, x: 1, foo: 1}", "{_id: 2, x: 2, foo: 1}");
    }

    [Fact]
    public async Task Pipeline_update_may_add_a_top_level_dollar_field_that_later_operator_updates_keep()
    {
        var c = await server.CollectionWith("{_id: 1, foo: {}}");
        var pipeline = new BsonDocumentStagePipelineDefinition<BsonDocument, BsonDocument>(
        [
            BsonDocument.Parse("{$replaceWith: {$setField: {field: {$literal: '$a'}, value: 1, input: '$$ROOT'}}}"),
        ]);
        var result = await c.UpdateOneAsync("{_id: 1}", Builders<BsonDocument>.Update.Pipeline(pipeline), cancellationToken: Ct);
        Assert.Equal(1, result.ModifiedCount);
        await c.UpdateOneAsync("{_id: 1}", "{$set: {b: 2}}", cancellationToken: Ct);
        await UpdateAssert.Holds(c, "{_id: 1, foo: {}, $a: 1, b: 2}");
    }

    [Fact]
    public async Task Pipeline_update_sees_let_variables_and_the_current_document()
    {
        var c = await server.CollectionWith("{_id: 1, n: 2}", "{_id: 2, n: 5}");
        var pipeline = new BsonDocumentStagePipelineDefinition<BsonDocument, BsonDocument>(
        [
            BsonDocument.Parse("{$set: {label: '$$label', twice: {$multiply: ['$n', 2]}}}"),
            BsonDocument.Parse("{$unset: 'n'}"),
        ]);
        var options = new UpdateOptions { Let = BsonDocument.Parse("{label: 'x'}") };
        await c.UpdateManyAsync("{}", Builders<BsonDocument>.Update.Pipeline(pipeline), options, Ct);
        await UpdateAssert.Holds(c, "{_id: 1, label: 'x', twice: 4}", "{_id: 2, label: 'x', twice: 10}");
    }

    [Fact]
    public async Task Pipeline_update_with_array_filters_is_rejected()
    {
        var c = await server.CollectionWith("{_id: 1}");
        var reply = await server.RawUpdate(c, "{q: {}, u: [{$set: {a: 1}}], arrayFilters: [{i: 1}]}");
        UpdateAssert.WriteError(reply, 9);
    }
}
