using MongoDB.Bson;
using Xunit;
using MongoDB.Driver;

namespace Monolith.EmbeddedMongo.Tests.Update;

public sealed class UpsertTests(UpdateServer server) : IClassFixture<UpdateServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly UpdateOptions Upsert = new() { IsUpsert = true };

    [Fact]
    public async Task Upsert_starts_from_the_equality_fields_of_the_filter()
    {
        var c = await server.CollectionWith();
        var result = await c.UpdateOneAsync(
            "{b: 1, 'c.d': 2, n: {$gt: 5}, e: {$eq: 'x'}, $and: [{a: 0}], $or: [{o: 1}, {o: 2}]}",
            "{$set: {z: true}, $inc: {count: 1}}", Upsert, Ct);
        Assert.Equal(0, result.MatchedCount);
        Assert.Equal(0, result.ModifiedCount);
        var id = Assert.IsType<BsonObjectId>(result.UpsertedId);
        await UpdateAssert.Holds(c, $"{{_id: ObjectId('{id.Value}'), a: 0, b: 1, c: {{d: 2}}, e: 'x', count: 1, z: true}}");
    }

    [Fact]
    public async Task Upsert_keeps_the_filter_id_first_and_applies_set_on_insert()
    {
        var c = await server.CollectionWith();
        var result = await c.UpdateOneAsync("{x: 1, _id: 7}", "{$setOnInsert: {created: 1}, $set: {x: 2}}", Upsert, Ct);
        Assert.Equal(7, result.UpsertedId.AsInt32);
        await UpdateAssert.Holds(c, "{_id: 7, x: 2, created: 1}");

        var second = await c.UpdateOneAsync("{_id: 7}", "{$setOnInsert: {created: 2}, $set: {x: 3}}", Upsert, Ct);
        UpdateAssert.Counts(second, 1, 1);
        await UpdateAssert.Holds(c, "{_id: 7, x: 3, created: 1}");
    }

    [Fact]
    public async Task Upsert_of_a_replacement_takes_only_the_id_from_the_filter()
    {
        var c = await server.CollectionWith();
        var result = await c.ReplaceOneAsync("{_id: 4, other: 1}", BsonDocument.Parse("{x: 1}"), new ReplaceOptions { IsUpsert = true }, Ct);
        Assert.Equal(4, result.UpsertedId.AsInt32);
        await UpdateAssert.Holds(c, "{_id: 4, x: 1}");
    }

    [Fact]
    public async Task Upsert_that_would_change_the_filter_id_is_rejected()
    {
        var c = await server.CollectionWith();
        var error = await Assert.ThrowsAsync<MongoWriteException>(() => c.UpdateOneAsync("{_id: 1}", "{$set: {_id: 2}}", Upsert, Ct));
        Assert.Equal(66, error.WriteError.Code);
        Assert.Empty(await UpdateServer.All(c));
    }

    [Fact]
    public async Task Upsert_cannot_infer_a_document_from_overlapping_equalities()
    {
        var c = await server.CollectionWith();
        var reply = await server.RawUpdate(c, "{q: {a: 1, 'a.b': 2}, u: {$set: {x: 1}}, upsert: true}");
        UpdateAssert.WriteError(reply, 54);
    }

    [Fact]
    public async Task Upsert_with_a_positional_operator_and_no_match_is_rejected()
    {
        var c = await server.CollectionWith();
        var reply = await server.RawUpdate(c, "{q: {a: 1}, u: {$set: {'a.$': 1}}, upsert: true}");
        UpdateAssert.WriteError(reply, 2);
    }

    [Fact]
    public async Task FindOneAndUpdate_upsert_returns_the_inserted_document()
    {
        var c = await server.CollectionWith();
        var inserted = await c.FindOneAndUpdateAsync<BsonDocument>("{_id: 'k', n: 1}", "{$push: {log: 'first'}}",
            new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After }, Ct);
        Assert.Equal(BsonDocument.Parse("{_id: 'k', n: 1, log: ['first']}"), inserted);
    }
}
