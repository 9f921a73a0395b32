using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Server;

/// <summary>Which index a query uses, as explain reports it, and that the indexed answer is the same as a scan's.</summary>
public sealed class QueryPlanTests(ServerFixture server)
{
    private async Task<IMongoCollection<BsonDocument>> SeededAsync(string hint, CancellationToken ct)
    {
        var c = server.NewDatabase(hint).GetCollection<BsonDocument>("items");
        await c.InsertManyAsync(Enumerable.Range(0, 500).Select(i => new BsonDocument
        {
            { "_id", i }, { "status", i % 3 == 0 ? "active" : "draft" }, { "price", i % 50 }, { "tags", new BsonArray { "t" + (i % 4), "all" } }, { "name", "item" + i.ToString("D3") },
        }), cancellationToken: ct);
        await c.Indexes.CreateManyAsync([
            new CreateIndexModel<BsonDocument>(new BsonDocument { { "status", 1 }, { "price", -1 }, { "_id", -1 } }),
            new CreateIndexModel<BsonDocument>(new BsonDocument("tags", 1)),
            new CreateIndexModel<BsonDocument>(new BsonDocument("name", 1)),
        ], ct);
        return c;
    }

    private static async Task<BsonDocument> ExplainAsync(IMongoCollection<BsonDocument> c, BsonDocument find, CancellationToken ct)
    {
        var command = new BsonDocument("find", c.CollectionNamespace.CollectionName).AddRange(find);
        return await c.Database.RunCommandAsync<BsonDocument>(new BsonDocument { { "explain", command }, { "verbosity", "executionStats" } }, cancellationToken: ct);
    }

    private static string? IndexName(BsonDocument explain) =>
        explain["queryPlanner"]["winningPlan"].AsBsonDocument.TryGetValue("inputStage", out var input) ? input["indexName"].AsString : null;

    [Theory]
    [InlineData("{ status: 'active' }", "status_1_price_-1__id_-1")]
    [InlineData("{ status: 'active', price: { $gte: 10, $lt: 20 } }", "status_1_price_-1__id_-1")]
    [InlineData("{ status: { $in: ['active', 'archived'] } }", "status_1_price_-1__id_-1")]
    [InlineData("{ tags: 't1' }", "tags_1")]
    [InlineData("{ name: { $gte: 'item100', $lt: 'item110' } }", "name_1")]
    [InlineData("{ _id: 42 }", "_id_")]
    [InlineData("{ $and: [ { name: 'item007' }, { price: 7 } ] }", "name_1")]
    public async Task A_filter_on_an_indexed_prefix_uses_the_index_and_returns_what_a_scan_returns(string filter, string expectedIndex)
    {
        var ct = TestContext.Current.CancellationToken;
        var c = await SeededAsync(nameof(A_filter_on_an_indexed_prefix_uses_the_index_and_returns_what_a_scan_returns), ct);
        var query = BsonDocument.Parse(filter);

        var explain = await ExplainAsync(c, new BsonDocument("filter", query), ct);
        var indexed = await c.Find(query).ToListAsync(ct);
        var scanned = await c.Find(query, new FindOptions { Hint = new BsonDocument("$natural", 1) }).ToListAsync(ct);

        Assert.Equal(expectedIndex, IndexName(explain));
        Assert.True(explain["executionStats"]["totalDocsExamined"].ToInt64() < 500, explain.ToJson());
        Assert.Equal(scanned.Select(d => d["_id"]).Order(), indexed.Select(d => d["_id"]).Order());
        Assert.NotEmpty(indexed);
    }

    [Theory]
    [InlineData("{ price: 3 }")]
    [InlineData("{ name: { $regex: 'item1' } }")]
    [InlineData("{ status: { $ne: 'active' } }")]
    public async Task A_filter_no_index_fits_scans_the_collection(string filter)
    {
        var ct = TestContext.Current.CancellationToken;
        var c = await SeededAsync(nameof(A_filter_no_index_fits_scans_the_collection), ct);

        var explain = await ExplainAsync(c, new BsonDocument("filter", BsonDocument.Parse(filter)), ct);

        Assert.Equal("COLLSCAN", explain["queryPlanner"]["winningPlan"]["stage"].AsString);
    }

    [Fact]
    public async Task An_equality_prefix_with_a_sort_on_the_rest_of_the_index_reads_in_index_order_and_stops_at_the_limit()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = await SeededAsync(nameof(An_equality_prefix_with_a_sort_on_the_rest_of_the_index_reads_in_index_order_and_stops_at_the_limit), ct);
        var find = new BsonDocument { { "filter", new BsonDocument("status", "draft") }, { "sort", new BsonDocument { { "price", -1 }, { "_id", -1 } } }, { "limit", 5 } };

        var explain = await ExplainAsync(c, find, ct);
        var page = await c.Find(new BsonDocument("status", "draft")).Sort(new BsonDocument { { "price", -1 }, { "_id", -1 } }).Limit(5).ToListAsync(ct);
        var expected = (await c.Find(new BsonDocument("status", "draft")).ToListAsync(ct))
            .OrderByDescending(d => d["price"].AsInt32).ThenByDescending(d => d["_id"].AsInt32).Take(5);

        Assert.Equal("status_1_price_-1__id_-1", IndexName(explain));
        Assert.True(explain["executionStats"]["totalDocsExamined"].ToInt64() <= 5, explain.ToJson());
        Assert.Equal(expected.Select(d => d["_id"]), page.Select(d => d["_id"]));
    }

    [Fact]
    public async Task A_reverse_sort_walks_the_index_backwards()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = await SeededAsync(nameof(A_reverse_sort_walks_the_index_backwards), ct);

        var explain = await ExplainAsync(c, new BsonDocument { { "sort", new BsonDocument("name", -1) }, { "limit", 3 } }, ct);
        var page = await c.Find(FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("name", -1)).Limit(3).ToListAsync(ct);

        Assert.Equal("name_1", IndexName(explain));
        Assert.Equal("backward", explain["queryPlanner"]["winningPlan"]["inputStage"]["direction"].AsString);
        Assert.Equal(["item499", "item498", "item497"], page.Select(d => d["name"].AsString));
    }

    [Fact]
    public async Task A_hint_naming_a_missing_index_is_a_bad_value()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = await SeededAsync(nameof(A_hint_naming_a_missing_index_is_a_bad_value), ct);

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => c.Find(FilterDefinition<BsonDocument>.Empty, new FindOptions { Hint = "nope" }).ToListAsync(ct));

        Assert.Equal(2, error.Code);
    }

    [Fact]
    public async Task Updates_counts_and_deletes_use_the_index_too()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = await SeededAsync(nameof(Updates_counts_and_deletes_use_the_index_too), ct);

        foreach (var command in new[]
        {
            new BsonDocument { { "count", "items" }, { "query", new BsonDocument("tags", "t2") } },
            new BsonDocument { { "update", "items" }, { "updates", new BsonArray { new BsonDocument { { "q", new BsonDocument("name", "item010") }, { "u", new BsonDocument("$set", new BsonDocument("x", 1)) } } } } },
            new BsonDocument { { "delete", "items" }, { "deletes", new BsonArray { new BsonDocument { { "q", new BsonDocument("status", "active") }, { "limit", 0 } } } } },
        })
        {
            var explain = await c.Database.RunCommandAsync<BsonDocument>(new BsonDocument("explain", command), cancellationToken: ct);
            Assert.NotNull(IndexName(explain));
        }
    }
}
