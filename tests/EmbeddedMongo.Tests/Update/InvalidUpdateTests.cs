using MongoDB.Bson;
using Xunit;
using MongoDB.Driver;

namespace Monolith.EmbeddedMongo.Tests.Update;

/// <summary>Updates MongoDB refuses: the reply carries its error code and the stored document stays as it was.</summary>
public sealed class InvalidUpdateTests(UpdateServer server) : IClassFixture<UpdateServer>
{
    private const string Original = "{_id: 1, a: 5, s: 'text', arr: [1, 2], doc: {x: 1}}";

    [Theory]
    [InlineData("{$set: {a: 1}, $inc: {a: 1}}", 40)]
    [InlineData("{$set: {doc: 1}, $unset: {'doc.x': 1}}", 40)]
    [InlineData("{$set: {'arr.$[]': 1, 'arr.0': 2}}", 40)]
    [InlineData("{$rename: {a: 'b'}, $set: {b: 1}}", 40)]
    [InlineData("{$set: {_id: 2}}", 66)]
    [InlineData("{$unset: {_id: 1}}", 66)]
    [InlineData("{$rename: {_id: 'id'}}", 66)]
    [InlineData("{$inc: {s: 1}}", 14)]
    [InlineData("{$mul: {s: 2}}", 14)]
    [InlineData("{$inc: {a: 'one'}}", 14)]
    [InlineData("{$set: {'a.b': 1}}", 28)]
    [InlineData("{$set: {'arr.name': 1}}", 28)]
    [InlineData("{$pull: {'a.b': 1}}", 28)]
    [InlineData("{$foo: {a: 1}}", 9)]
    [InlineData("{$set: {b: 1}, b: 2}", 9)]
    [InlineData("{$set: 1}", 9)]
    [InlineData("{$pop: {arr: 2}}", 9)]
    [InlineData("{$set: {'': 1}}", 56)]
    [InlineData("{$set: {'doc..x': 1}}", 56)]
    [InlineData("{$rename: {a: 'a'}}", 2)]
    [InlineData("{$rename: {doc: 'doc.y'}}", 2)]
    [InlineData("{$rename: {'arr.0': 'z'}}", 2)]
    [InlineData("{$rename: {a: 'arr.5'}}", 2)]
    [InlineData("{$rename: {a: 1}}", 2)]
    [InlineData("{$set: {'arr.$': 1}}", 2)]
    [InlineData("{$set: {'$': 1}}", 2)]
    [InlineData("{$set: {'arr.$.a.$': 1}}", 2)]
    [InlineData("{$set: {'missing.$[]': 1}}", 2)]
    [InlineData("{$set: {'a.$[]': 1}}", 2)]
    [InlineData("{$set: {'arr.$[i]': 1}}", 2)]
    [InlineData("{$push: {a: 1}}", 2)]
    [InlineData("{$push: {arr: {$each: 1}}}", 2)]
    [InlineData("{$push: {arr: {$each: [1], $sort: 2}}}", 2)]
    [InlineData("{$addToSet: {a: 1}}", 2)]
    [InlineData("{$pull: {a: 1}}", 2)]
    [InlineData("{$pullAll: {arr: 1}}", 2)]
    [InlineData("{$pop: {a: 1}}", 14)]
    [InlineData("{$currentDate: {a: 'now'}}", 2)]
    [InlineData("{$bit: {a: {nand: 1}}}", 2)]
    [InlineData("{$bit: {s: {and: 1}}}", 2)]
    [InlineData("{$set: {'$top': 1}}", 52)]
    [InlineData("{a: 1, $set: {b: 1}}", 52)]
    [InlineData("{_id: 2, a: 1}", 66)]
    [InlineData("[{$group: {_id: '$a'}}]", 72)]
    public async Task An_invalid_update_is_rejected_with_MongoDB_s_code_and_changes_nothing(string update, int code)
    {
        var c = await server.CollectionWith(Original);
        var reply = await server.RawUpdate(c, $"{{q: {{_id: 1}}, u: {update}}}");
        UpdateAssert.WriteError(reply, code);
        await UpdateAssert.Holds(c, Original);
    }

    [Theory]
    [InlineData("[{i: 1}, {j: 1}]", 9)]
    [InlineData("[{i: 1, j: 1}]", 9)]
    [InlineData("[{i: 1}, {i: 2}]", 9)]
    [InlineData("[{$or: [{i: 1}, {j: 2}]}]", 9)]
    [InlineData("[{Big: 1}]", 2)]
    public async Task Array_filters_must_be_well_formed_and_all_used(string arrayFilters, int code)
    {
        var c = await server.CollectionWith(Original);
        var reply = await server.RawUpdate(c, $"{{q: {{_id: 1}}, u: {{$set: {{'arr.$[i]': 0}}}}, arrayFilters: {arrayFilters}}}");
        UpdateAssert.WriteError(reply, code);
        await UpdateAssert.Holds(c, Original);
    }

    [Fact]
    public async Task Updates_that_address_the_same_element_twice_at_run_time_conflict()
    {
        var c = await server.CollectionWith(Original);
        UpdateAssert.WriteError(await server.RawUpdate(c, "{q: {arr: 2}, u: {$set: {'arr.$': 7, 'arr.1': 8}}}"), 40);
        UpdateAssert.WriteError(
            await server.RawUpdate(c, "{q: {}, u: {$set: {'arr.$[i]': 7, 'arr.$[j]': 8}}, arrayFilters: [{i: 2}, {j: {$gt: 1}}]}"), 40);
        await UpdateAssert.Holds(c, Original);
    }

    [Fact]
    public async Task The_driver_surfaces_the_error_code_of_a_failed_update()
    {
        var c = await server.CollectionWith(Original);
        var error = await Assert.ThrowsAsync<MongoWriteException>(() => c.UpdateOneAsync("{_id: 1}", "{$inc: {s: 1}}", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(14, error.WriteError.Code);
        var command = await Assert.ThrowsAsync<MongoCommandException>(() =>
            c.FindOneAndUpdateAsync<BsonDocument>("{_id: 1}", "{$set: {'a.b': 1}}", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(28, command.Code);
        await UpdateAssert.Holds(c, Original);
    }

    [Fact]
    public async Task A_failing_document_in_an_update_many_stops_at_that_document()
    {
        var c = await server.CollectionWith("{_id: 1, a: 1}", "{_id: 2, a: 'x'}", "{_id: 3, a: 3}");
        var error = await Assert.ThrowsAsync<MongoWriteException>(() => c.UpdateManyAsync("{}", "{$inc: {a: 1}}", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(14, error.WriteError.Code);
        var stored = await UpdateServer.All(c);
        Assert.Equal("x", stored[1]["a"].AsString);
    }
}
