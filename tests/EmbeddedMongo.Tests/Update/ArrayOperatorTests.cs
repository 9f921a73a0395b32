using MongoDB.Bson;
using Xunit;
using MongoDB.Driver;

namespace Monolith.EmbeddedMongo.Tests.Update;

public sealed class ArrayOperatorTests(UpdateServer server) : IClassFixture<UpdateServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Push_appends_one_value_and_creates_a_missing_array()
    {
        var c = await server.CollectionWith("{_id: 1, a: [1]}");
        await c.UpdateOneAsync("{_id: 1}", "{$push: {a: [2], b: {x: 1}}}", cancellationToken: Ct);
        await UpdateAssert.Holds(c, "{_id: 1, a: [1, [2]], b: [{x: 1}]}");
    }

    [Fact]
    public async Task Push_each_honours_position_then_sort_then_slice()
    {
        var c = await server.CollectionWith("{_id: 1, p: [1, 2, 3], n: [1, 2, 3], s: [5, 1, 4], d: [{k: 2}, {k: 1}]}");
        await c.UpdateOneAsync("{_id: 1}",
            "{$push: {p: {$each: [8, 9], $position: 1}, n: {$each: [8], $position: -1}, " +
            "s: {$each: [3, 2], $sort: -1, $slice: 3}, d: {$each: [{k: 3}, {k: 0}], $sort: {k: 1}, $slice: -2}}}",
            cancellationToken: Ct);
        await UpdateAssert.Holds(c, "{_id: 1, p: [1, 8, 9, 2, 3], n: [1, 2, 8, 3], s: [5, 4, 3], d: [{k: 2}, {k: 3}]}");
    }

    [Fact]
    public async Task Push_with_an_empty_each_and_slice_zero_empties_the_array()
    {
        var c = await server.CollectionWith("{_id: 1, a: [1, 2]}");
        await c.UpdateOneAsync("{_id: 1}", "{$push: {a: {$each: [], $slice: 0}}}", cancellationToken: Ct);
        await UpdateAssert.Holds(c, "{_id: 1, a: []}");
    }

    [Fact]
    public async Task AddToSet_adds_only_values_not_already_present()
    {
        var c = await server.CollectionWith("{_id: 1, a: [1, 2], tags: ['x']}");
        var result = await c.UpdateOneAsync("{_id: 1}", "{$addToSet: {a: {$each: [2, 3, 3, 4.0]}, tags: 'x'}}", cancellationToken: Ct);
        UpdateAssert.Counts(result, 1, 1);
        await UpdateAssert.Holds(c, "{_id: 1, a: [1, 2, 3, 4.0], tags: ['x']}");
        var again = await c.UpdateOneAsync("{_id: 1}", "{$addToSet: {a: 1.0, tags: 'x'}}", cancellationToken: Ct);
        UpdateAssert.Counts(again, 1, 0);
    }

    [Fact]
    public async Task Pop_removes_the_last_or_the_first_element()
    {
        var c = await server.CollectionWith("{_id: 1, a: [1, 2, 3], b: [1, 2, 3], e: []}");
        var result = await c.UpdateOneAsync("{_id: 1}", "{$pop: {a: 1, b: -1, e: 1, missing: 1}}", cancellationToken: Ct);
        UpdateAssert.Counts(result, 1, 1);
        await UpdateAssert.Holds(c, "{_id: 1, a: [1, 2], b: [2, 3], e: []}");
    }

    [Fact]
    public async Task Pull_removes_equal_values_values_matching_a_condition_and_documents_matching_a_query()
    {
        var c = await server.CollectionWith(
            "{_id: 1, v: [1, 2, 1, 3], n: [1, 5, 6, 9], d: [{s: 8, i: 'A'}, {s: 8, i: 'B', x: 1}, {s: 7, i: 'B'}]}");
        await c.UpdateOneAsync("{_id: 1}", "{$pull: {v: 1, n: {$gte: 6}, d: {s: 8, i: 'B'}}}", cancellationToken: Ct);
        await UpdateAssert.Holds(c, "{_id: 1, v: [2, 3], n: [1, 5], d: [{s: 8, i: 'A'}, {s: 7, i: 'B'}]}");
    }

    [Fact]
    public async Task PullAll_removes_every_listed_value_and_reports_no_change_when_none_is_present()
    {
        var c = await server.CollectionWith("{_id: 1, a: [0, 2, 5, 5, 1, 0]}");
        UpdateAssert.Counts(await c.UpdateOneAsync("{_id: 1}", "{$pullAll: {a: [0, 5]}}", cancellationToken: Ct), 1, 1);
        await UpdateAssert.Holds(c, "{_id: 1, a: [2, 1]}");
        UpdateAssert.Counts(await c.UpdateOneAsync("{_id: 1}", "{$pullAll: {a: [7]}}", cancellationToken: Ct), 1, 0);
    }

    [Fact]
    public async Task Positional_operator_updates_the_element_the_filter_matched()
    {
        var c = await server.CollectionWith("{_id: 1, grades: [80, 85, 90], items: [{n: 'a', q: 1}, {n: 'b', q: 1}]}");
        await c.UpdateOneAsync("{_id: 1, grades: 85}", "{$set: {'grades.$': 86}}", cancellationToken: Ct);
        await c.UpdateOneAsync("{'items.n': 'b'}", "{$inc: {'items.$.q': 5}}", cancellationToken: Ct);
        await UpdateAssert.Holds(c, "{_id: 1, grades: [80, 86, 90], items: [{n: 'a', q: 1}, {n: 'b', q: 6}]}");
    }

    [Fact]
    public async Task All_positional_operator_updates_every_element_including_nested_arrays()
    {
        var c = await server.CollectionWith("{_id: 1, a: [1, 2], b: [{c: [1, 2]}, {c: [3]}]}");
        await c.UpdateOneAsync("{_id: 1}", "{$inc: {'a.$[]': 10, 'b.$[].c.$[]': 1}}", cancellationToken: Ct);
        await UpdateAssert.Holds(c, "{_id: 1, a: [11, 12], b: [{c: [2, 3]}, {c: [4]}]}");
    }

    [Fact]
    public async Task Array_filters_update_only_matching_elements()
    {
        var c = await server.CollectionWith("{_id: 1, y: [{b: 3}, {b: 1}]}", "{_id: 2, y: [{b: 0}, {b: 1}]}");
        var options = new UpdateOptions { ArrayFilters = [new BsonDocumentArrayFilterDefinition<BsonDocument>(BsonDocument.Parse("{'i.b': 1}"))] };
        var result = await c.UpdateManyAsync("{}", "{$set: {'y.$[i].b': 2}}", options, Ct);
        UpdateAssert.Counts(result, 2, 2);
        await UpdateAssert.Holds(c, "{_id: 1, y: [{b: 3}, {b: 2}]}", "{_id: 2, y: [{b: 0}, {b: 2}]}");
    }

    [Fact]
    public async Task Array_filters_that_match_nothing_leave_documents_unmodified()
    {
        var c = await server.CollectionWith("{_id: 1, y: [{b: 3}, {b: 1}]}");
        var options = new UpdateOptions { ArrayFilters = [new BsonDocumentArrayFilterDefinition<BsonDocument>(BsonDocument.Parse("{'i.b': 4}"))] };
        UpdateAssert.Counts(await c.UpdateManyAsync("{}", "{$set: {'y.$[i].b': 2}}", options, Ct), 1, 0);
    }

    [Fact]
    public async Task Nested_array_filters_select_elements_at_each_level()
    {
        var c = await server.CollectionWith("{_id: 3, y: [{b: 5, c: [{d: 2}, {d: 1}]}, {b: 6, c: [{d: 1}]}]}");
        var options = new UpdateOptions
        {
            ArrayFilters =
            [
                new BsonDocumentArrayFilterDefinition<BsonDocument>(BsonDocument.Parse("{'i.b': 5}")),
                new BsonDocumentArrayFilterDefinition<BsonDocument>(BsonDocument.Parse("{'j.d': {$lt: 2}}")),
            ],
        };
        await c.UpdateOneAsync("{_id: 3}", "{$set: {'y.$[i].c.$[j].d': 0}}", options, Ct);
        await UpdateAssert.Holds(c, "{_id: 3, y: [{b: 5, c: [{d: 2}, {d: 0}]}, {b: 6, c: [{d: 1}]}]}");
    }

    [Fact]
    public async Task FindOneAndUpdate_with_array_filters_returns_the_updated_document()
    {
        var c = await server.CollectionWith("{_id: 1, a: [1, 2, 3, 4]}");
        var updated = await c.FindOneAndUpdateAsync<BsonDocument>("{_id: 1}", "{$mul: {'a.$[big]': 10}}",
            new FindOneAndUpdateOptions<BsonDocument>
            {
                ReturnDocument = ReturnDocument.After,
                ArrayFilters = [new BsonDocumentArrayFilterDefinition<BsonDocument>(BsonDocument.Parse("{big: {$gt: 2}}"))],
            }, Ct);
        Assert.Equal(BsonDocument.Parse("{_id: 1, a: [1, 2, 30, 40]}"), updated);
    }

    [Fact]
    public async Task Bulk_write_applies_array_filters_per_statement()
    {
        var c = await server.CollectionWith("{_id: 1, y: [{b: 3}, {b: 1}]}", "{_id: 2, y: [{b: 0}, {b: 1}]}");
        static BsonDocumentArrayFilterDefinition<BsonDocument> Filter(string json) => new(BsonDocument.Parse(json));
        var result = await c.BulkWriteAsync(
        [
            new UpdateOneModel<BsonDocument>("{}", "{$set: {'y.$[i].b': 2}}") { ArrayFilters = [Filter("{'i.b': 3}")] },
            new UpdateManyModel<BsonDocument>("{}", "{$set: {'y.$[i].b': 2}}") { ArrayFilters = [Filter("{'i.b': 1}")] },
        ], cancellationToken: Ct);
        Assert.Equal(3, result.MatchedCount);
        Assert.Equal(3, result.ModifiedCount);
        await UpdateAssert.Holds(c, "{_id: 1, y: [{b: 2}, {b: 2}]}", "{_id: 2, y: [{b: 0}, {b: 2}]}");
    }

    [Fact]
    public async Task Array_operators_compare_with_the_update_collation()
    {
        var c = await server.CollectionWith("{_id: 1, tags: ['A', 'b'], names: ['bob'], low: 'b'}");
        var options = new UpdateOptions { Collation = new Collation("en", strength: CollationStrength.Secondary) };
        var result = await c.UpdateOneAsync("{_id: 1}", "{$pull: {tags: 'a'}, $addToSet: {names: 'BOB'}, $min: {low: 'B'}}", options, Ct);
        UpdateAssert.Counts(result, 1, 1);
        await UpdateAssert.Holds(c, "{_id: 1, tags: ['b'], names: ['bob'], low: 'b'}");
    }

    [Fact]
    public async Task Positional_and_array_filter_paths_combine_in_one_update()
    {
        var c = await server.CollectionWith("{_id: 1, a: [{v: 1, w: [1, 2]}, {v: 2, w: [3, 4]}]}");
        var options = new UpdateOptions { ArrayFilters = [new BsonDocumentArrayFilterDefinition<BsonDocument>(BsonDocument.Parse("{x: {$gte: 4}}"))] };
        await c.UpdateOneAsync("{'a.v': 2}", "{$set: {'a.$.v': 20}, $inc: {'a.$.w.$[x]': 100}}", options, Ct);
        await UpdateAssert.Holds(c, "{_id: 1, a: [{v: 1, w: [1, 2]}, {v: 20, w: [3, 104]}]}");
    }
}
