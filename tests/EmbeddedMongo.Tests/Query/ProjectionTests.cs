using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Query;

public sealed class ProjectionTests(ServerFixture server)
{
    private const string Document =
        "{_id: 1, a: 1, b: {c: 2, d: 3}, arr: [1, 2, 3, 4, 5], docs: [{x: 1, y: 'p'}, {x: 2, y: 'q'}, 7], e: 'E'}";

    [Theory]
    [InlineData("{a: 1}", "{_id: 1, a: 1}")]
    [InlineData("{a: 1, _id: 0}", "{a: 1}")]
    [InlineData("{_id: 1}", "{_id: 1}")]
    [InlineData("{'b.c': 1}", "{_id: 1, b: {c: 2}}")]
    [InlineData("{b: {d: 1}}", "{_id: 1, b: {d: 3}}")]
    [InlineData("{'docs.y': 1}", "{_id: 1, docs: [{y: 'p'}, {y: 'q'}]}")]
    [InlineData("{arr: 0, docs: 0, b: 0}", "{_id: 1, a: 1, e: 'E'}")]
    [InlineData("{'b.c': 0, arr: 0, docs: 0, _id: 0}", "{a: 1, b: {d: 3}, e: 'E'}")]
    [InlineData("{'docs.x': 0, _id: 0, a: 0, b: 0, arr: 0, e: 0}", "{docs: [{y: 'p'}, {y: 'q'}, 7]}")]
    [InlineData("{arr: {$slice: 2}, _id: 0, b: 0, docs: 0}", "{a: 1, arr: [1, 2], e: 'E'}")]
    [InlineData("{arr: {$slice: -2}, a: 1}", "{_id: 1, a: 1, arr: [4, 5]}")]
    [InlineData("{arr: {$slice: [1, 2]}, a: 1}", "{_id: 1, a: 1, arr: [2, 3]}")]
    [InlineData("{docs: {$elemMatch: {x: 2}}}", "{_id: 1, docs: [{x: 2, y: 'q'}]}")]
    [InlineData("{docs: {$elemMatch: {x: 9}}}", "{_id: 1}")]
    [InlineData("{a: 1, label: {$literal: 'fixed'}}", "{_id: 1, a: 1, label: 'fixed'}")]
    [InlineData("{copy: '$e'}", "{_id: 1, copy: 'E'}")]
    public async Task Find_projects_documents_like_MongoDB(string projection, string expected)
    {
        var collection = await server.CollectionWith(Document);

        var found = await collection.Find(FilterDefinition<BsonDocument>.Empty)
            .Project(QueryCollections.Doc(projection))
            .SingleAsync(TestContext.Current.CancellationToken);

        Assert.Equal(QueryCollections.Doc(expected), found);
    }

    [Theory]
    [InlineData("{arr: 3}", "{'arr.$': 1}", "{_id: 1, arr: [3]}")]
    [InlineData("{'docs.y': 'q'}", "{'docs.$': 1}", "{_id: 1, docs: [{x: 2, y: 'q'}]}")]
    [InlineData("{docs: {$elemMatch: {x: 1}}}", "{'docs.$': 1, a: 1}", "{_id: 1, a: 1, docs: [{x: 1, y: 'p'}]}")]
    public async Task The_positional_projection_returns_the_element_the_filter_matched(string filter, string projection, string expected)
    {
        var collection = await server.CollectionWith(Document);

        var found = await collection.Find(QueryCollections.Doc(filter))
            .Project(QueryCollections.Doc(projection))
            .SingleAsync(TestContext.Current.CancellationToken);

        Assert.Equal(QueryCollections.Doc(expected), found);
    }

    [Theory]
    [InlineData("{a: 1, e: 0}", 31254)]
    [InlineData("{e: 0, a: 1}", 31253)]
    [InlineData("{b: 1, 'b.c': 1}", 31250)]
    [InlineData("{arr: {$slice: 'x'}}", 28667)]
    [InlineData("{'arr.$': 1, 'docs.$': 1}", 31276)]
    public async Task An_invalid_projection_fails_with_MongoDBs_error(string projection, int code)
    {
        var collection = await server.CollectionWith(Document);

        var error = await collection.FindFails("{arr: 1}", projection: projection);

        Assert.Equal(code, error.Code);
    }
}
