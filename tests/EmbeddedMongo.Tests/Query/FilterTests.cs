using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Query;

public sealed class FilterTests(ServerFixture server)
{
    private static readonly string[] Documents =
    [
        "{_id: 1, a: 1, s: 'apple', tags: ['x', 'y'], n: {b: 1}}",
        "{_id: 2, a: 2.0, s: 'Banana', tags: ['y'], n: {b: 2, c: 'z'}}",
        "{_id: 3, a: NumberLong(3), s: 'cherry', tags: [], n: [{b: 3}, {b: 4}]}",
        "{_id: 4, a: '4', s: null, tags: ['x', 'z'], n: [{b: 5, c: 1}, 7]}",
        "{_id: 5, a: [1, 5], tags: [['x'], 'q'], n: {b: [6, 7]}}",
        "{_id: 6, a: null, n: [{}, {b: 8}]}",
        "{_id: 7}",
    ];

    [Theory]
    [InlineData("{a: 1}", new[] { 1, 5 })]
    [InlineData("{a: 2}", new[] { 2 })]
    [InlineData("{a: {$eq: 3}}", new[] { 3 })]
    [InlineData("{a: '4'}", new[] { 4 })]
    [InlineData("{a: [1, 5]}", new[] { 5 })]
    [InlineData("{a: null}", new[] { 6, 7 })]
    [InlineData("{a: {$ne: null}}", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("{a: {$ne: 1}}", new[] { 2, 3, 4, 6, 7 })]
    [InlineData("{a: {$gt: 1}}", new[] { 2, 3, 5 })]
    [InlineData("{a: {$gte: 2, $lt: 5}}", new[] { 2, 3, 5 })]
    [InlineData("{a: {$lte: 1}}", new[] { 1, 5 })]
    [InlineData("{a: {$gt: '0'}}", new[] { 4 })]
    [InlineData("{a: {$in: [2, '4']}}", new[] { 2, 4 })]
    [InlineData("{a: {$in: [null]}}", new[] { 6, 7 })]
    [InlineData("{a: {$nin: [1, 2, null]}}", new[] { 3, 4 })]
    [InlineData("{s: {$exists: true}}", new[] { 1, 2, 3, 4 })]
    [InlineData("{s: {$exists: false}}", new[] { 5, 6, 7 })]
    [InlineData("{a: {$type: 'number'}}", new[] { 1, 2, 3, 5 })]
    [InlineData("{a: {$type: 'long'}}", new[] { 3 })]
    [InlineData("{a: {$type: 2}}", new[] { 4 })]
    [InlineData("{a: {$type: ['null', 'string']}}", new[] { 4, 6 })]
    [InlineData("{a: {$type: 'array'}}", new[] { 5 })]
    [InlineData("{s: /^b/i}", new[] { 2 })]
    [InlineData("{s: {$not: /^a/}}", new[] { 2, 3, 4, 5, 6, 7 })]
    [InlineData("{a: {$not: {$gt: 1}}}", new[] { 1, 4, 6, 7 })]
    [InlineData("{a: {$mod: [2, 1]}}", new[] { 1, 3, 5 })]
    [InlineData("{tags: 'x'}", new[] { 1, 4 })]
    [InlineData("{tags: ['x']}", new[] { 5 })]
    [InlineData("{tags: {$size: 2}}", new[] { 1, 4, 5 })]
    [InlineData("{tags: {$size: 0}}", new[] { 3 })]
    [InlineData("{tags: {$all: ['x', 'y']}}", new[] { 1 })]
    [InlineData("{tags: {$all: []}}", new int[0])]
    [InlineData("{a: {$elemMatch: {$gt: 4}}}", new[] { 5 })]
    [InlineData("{n: {$elemMatch: {b: 5, c: 1}}}", new[] { 4 })]
    [InlineData("{n: {$all: [{$elemMatch: {b: 3}}, {$elemMatch: {b: 4}}]}}", new[] { 3 })]
    [InlineData("{'n.b': 4}", new[] { 3 })]
    [InlineData("{'n.b': 7}", new[] { 5 })]
    [InlineData("{'n.1.b': 4}", new[] { 3 })]
    [InlineData("{'n.b': {$gt: 5}}", new[] { 5, 6 })]
    [InlineData("{'n.b': null}", new[] { 6, 7 })]
    [InlineData("{'n.c': {$exists: true}}", new[] { 2, 4 })]
    [InlineData("{n: {b: 1}}", new[] { 1 })]
    [InlineData("{$or: [{a: 2}, {s: 'cherry'}]}", new[] { 2, 3 })]
    [InlineData("{$and: [{tags: 'x'}, {tags: 'z'}]}", new[] { 4 })]
    [InlineData("{$nor: [{a: {$exists: true}}, {tags: {$exists: true}}]}", new[] { 7 })]
    [InlineData("{$comment: 'ignored', a: 2}", new[] { 2 })]
    [InlineData("{$alwaysFalse: 1}", new int[0])]
    public async Task Find_returns_the_documents_MongoDB_would_match(string filter, int[] expected)
    {
        var collection = await server.CollectionWith(Documents);

        var ids = await collection.IdsMatching(filter);

        Assert.Equal(expected, ids);
    }

    [Theory]
    [InlineData("{a: 1}", new[] { 1, 5 })]
    [InlineData("{a: 2}", new[] { 2 })]
    [InlineData("{a: {$eq: 3}}", new[] { 3 })]
    [InlineData("{a: '4'}", new[] { 4 })]
    [InlineData("{a: [1, 5]}", new[] { 5 })]
    [InlineData("{a: null}", new[] { 6, 7 })]
    [InlineData("{a: {$ne: null}}", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("{a: {$ne: 1}}", new[] { 2, 3, 4, 6, 7 })]
    [InlineData("{a: {$gt: 1}}", new[] { 2, 3, 5 })]
    [InlineData("{a: {$gte: 2, $lt: 5}}", new[] { 2, 3, 5 })]
    [InlineData("{a: {$lte: 1}}", new[] { 1, 5 })]
    [InlineData("{a: {$gt: '0'}}", new[] { 4 })]
    [InlineData("{a: {$in: [2, '4']}}", new[] { 2, 4 })]
    [InlineData("{a: {$in: [null]}}", new[] { 6, 7 })]
    [InlineData("{a: {$nin: [1, 2, null]}}", new[] { 3, 4 })]
    [InlineData("{s: {$exists: true}}", new[] { 1, 2, 3, 4 })]
    [InlineData("{s: {$exists: false}}", new[] { 5, 6, 7 })]
    [InlineData("{a: {$type: 'number'}}", new[] { 1, 2, 3, 5 })]
    [InlineData("{a: {$type: 'long'}}", new[] { 3 })]
    [InlineData("{a: {$type: 2}}", new[] { 4 })]
    [InlineData("{a: {$type: ['null', 'string']}}", new[] { 4, 6 })]
    [InlineData("{a: {$type: 'array'}}", new[] { 5 })]
    [InlineData("{s: /^b/i}", new[] { 2 })]
    [InlineData("{s: {$not: /^a/}}", new[] { 2, 3, 4, 5, 6, 7 })]
    [InlineData("{a: {$not: {$gt: 1}}}", new[] { 1, 4, 6, 7 })]
    [InlineData("{a: {$mod: [2, 1]}}", new[] { 1, 3, 5 })]
    [InlineData("{tags: 'x'}", new[] { 1, 4 })]
    [InlineData("{tags: ['x']}", new[] { 5 })]
    [InlineData("{tags: {$size: 2}}", new[] { 1, 4, 5 })]
    [InlineData("{tags: {$size: 0}}", new[] { 3 })]
    [InlineData("{tags: {$all: ['x', 'y']}}", new[] { 1 })]
    [InlineData("{tags: {$all: []}}", new int[0])]
    [InlineData("{a: {$elemMatch: {$gt: 4}}}", new[] { 5 })]
    [InlineData("{n: {$elemMatch: {b: 5, c: 1}}}", new[] { 4 })]
    [InlineData("{n: {$all: [{$elemMatch: {b: 3}}, {$elemMatch: {b: 4}}]}}", new[] { 3 })]
    [InlineData("{'n.b': 4}", new[] { 3 })]
    [InlineData("{'n.b': 7}", new[] { 5 })]
    [InlineData("{'n.1.b': 4}", new[] { 3 })]
    [InlineData("{'n.b': {$gt: 5}}", new[] { 5, 6 })]
    [InlineData("{'n.b': null}", new[] { 6, 7 })]
    [InlineData("{'n.c': {$exists: true}}", new[] { 2, 4 })]
    [InlineData("{n: {b: 1}}", new[] { 1 })]
    [InlineData("{$or: [{a: 2}, {s: 'cherry'}]}", new[] { 2, 3 })]
    [InlineData("{$and: [{tags: 'x'}, {tags: 'z'}]}", new[] { 4 })]
    [InlineData("{$nor: [{a: {$exists: true}}, {tags: {$exists: true}}]}", new[] { 7 })]
    [InlineData("{$comment: 'ignored', a: 2}", new[] { 2 })]
    [InlineData("{$alwaysFalse: 1}", new int[0])]
    public async Task Indexes_do_not_change_what_a_filter_matches(string filter, int[] expected)
    {
        var collection = await server.CollectionWith(Documents);
        await collection.Indexes.CreateManyAsync(
            [
                new CreateIndexModel<BsonDocument>(new BsonDocument("a", 1)),
                new CreateIndexModel<BsonDocument>(new BsonDocument("s", -1)),
                new CreateIndexModel<BsonDocument>(new BsonDocument { { "n.b", 1 }, { "a", 1 } }),
                new CreateIndexModel<BsonDocument>(new BsonDocument("tags", 1)),
            ],
            TestContext.Current.CancellationToken);

        var ids = await collection.IdsMatching(filter);

        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task Numbers_of_different_types_compare_by_value()
    {
        var collection = await server.CollectionWith(
            "{_id: 1, v: 1}", "{_id: 2, v: NumberLong(1)}", "{_id: 3, v: 1.0}", "{_id: 4, v: NumberDecimal('1.0')}",
            "{_id: 5, v: 1.5}", "{_id: 6, v: NaN}", "{_id: 7, v: NumberLong('9007199254740993')}");

        Assert.Equal(new[] { 1, 2, 3, 4 }, await collection.IdsMatching("{v: 1}"));
        Assert.Equal(new[] { 5, 7 }, await collection.IdsMatching("{v: {$gt: 1}}"));
        Assert.Equal(new[] { 6 }, await collection.IdsMatching("{v: NaN}"));
        Assert.Equal(new[] { 7 }, await collection.IdsMatching("{v: {$gt: 9007199254740992.0}}"));
    }

    [Fact]
    public async Task Null_matches_missing_fields_but_not_arrays_of_scalars_along_the_path()
    {
        var collection = await server.CollectionWith(
            "{_id: 1, a: [{b: 5}]}", "{_id: 2, a: [{}]}", "{_id: 3, a: []}", "{_id: 4, a: [{}, {b: 5}]}",
            "{_id: 5, a: [5, {b: 5}]}");

        Assert.Equal(new[] { 2, 4 }, await collection.IdsMatching("{'a.b': null}"));
        Assert.Equal(new[] { 2, 4 }, await collection.IdsMatching("{'a.b': {$in: [null]}}"));
    }

    [Fact]
    public async Task Regex_operator_takes_its_options_from_the_options_field()
    {
        var collection = await server.CollectionWith(Documents);
        var filter = new BsonDocument("s", new BsonDocument { { "$regex", "RR" }, { "$options", "i" } });

        var found = await collection.Find(filter).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal([3], found.Select(d => d["_id"].ToInt32()));
    }

    [Fact]
    public async Task Expr_filters_evaluate_aggregation_expressions_per_document()
    {
        var collection = await server.CollectionWith("{_id: 1, a: 1, b: 2}", "{_id: 2, a: 3, b: 2}");

        Assert.Equal(new[] { 2 }, await collection.IdsMatching("{$expr: {$gt: ['$a', '$b']}}"));
    }

    [Fact]
    public async Task JsonSchema_filters_match_documents_that_satisfy_the_schema()
    {
        var collection = await server.CollectionWith(
            "{_id: 1, name: 'Ada', age: 36}", "{_id: 2, name: 'B', age: 20}", "{_id: 3, name: 'Cy'}",
            "{_id: 4, name: 'Di', age: 'old'}");

        var ids = await collection.IdsMatching(
            "{$jsonSchema: {required: ['name', 'age'], properties: {name: {bsonType: 'string', minLength: 2}, age: {bsonType: 'number'}}}}");

        Assert.Equal([1], ids);
    }
}
