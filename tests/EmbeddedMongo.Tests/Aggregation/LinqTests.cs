using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;
using MongoDB.Driver;
using MongoDB.Driver.Linq;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Aggregation;

/// <summary>The pipelines the driver's LINQ provider generates, as the modules' repositories will send them.</summary>
[Collection(AggregationServerCollection.Name)]
public sealed class LinqTests(AggregationServerFixture server)
{
    public sealed record Product(
        [property: BsonId] int Id, string Name, string Category, decimal Price, int Stock, List<string> Tags, DateTime Added);

    private async Task<IMongoCollection<Product>> Products()
    {
        var name = (await server.CollectionWith()).CollectionNamespace.CollectionName;
        var products = server.Database.GetCollection<Product>(name);
        var day = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await products.InsertManyAsync(
        [
            new Product(1, "Apple", "fruit", 1.5m, 10, ["red", "sweet"], day),
            new Product(2, "Banana", "fruit", 0.5m, 0, ["yellow"], day.AddDays(1)),
            new Product(3, "Carrot", "veg", 0.8m, 5, [], day.AddDays(2)),
            new Product(4, "Daikon", "veg", 2.0m, 1, ["white"], day.AddDays(3)),
            new Product(5, "Eggplant", "veg", 3.0m, 7, ["purple"], day.AddDays(4)),
        ], cancellationToken: TestContext.Current.CancellationToken);
        return products;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Where_orderBy_skip_take_select()
    {
        var products = await Products();

        var names = await products.AsQueryable()
            .Where(p => p.Stock > 0 && p.Category == "veg")
            .OrderByDescending(p => p.Price).ThenBy(p => p.Name)
            .Skip(1).Take(2)
            .Select(p => new { p.Name, Upper = p.Name.ToUpper(), Value = p.Price * p.Stock })
            .ToListAsync(Ct);

        Assert.Equal(["Daikon", "Carrot"], names.Select(n => n.Name));
        Assert.Equal("DAIKON", names[0].Upper);
        Assert.Equal(2.0m, names[0].Value);
    }

    [Fact]
    public async Task GroupBy_with_aggregates()
    {
        var products = await Products();

        var groups = await products.AsQueryable()
            .GroupBy(p => p.Category)
            .Select(g => new { Category = g.Key, Count = g.Count(), Stock = g.Sum(p => p.Stock), Max = g.Max(p => p.Price), Avg = g.Average(p => p.Stock) })
            .OrderBy(g => g.Category)
            .ToListAsync(Ct);

        Assert.Equal(2, groups.Count);
        Assert.Equal(("fruit", 2, 10, 1.5m, 5.0), (groups[0].Category, groups[0].Count, groups[0].Stock, groups[0].Max, groups[0].Avg));
        Assert.Equal(("veg", 3, 13, 3.0m), (groups[1].Category, groups[1].Count, groups[1].Stock, groups[1].Max));
    }

    [Fact]
    public async Task Scalar_results_count_any_sum_first()
    {
        var products = await Products();
        var q = products.AsQueryable();

        Assert.Equal(3, await q.CountAsync(p => p.Category == "veg", Ct));
        Assert.True(await q.AnyAsync(p => p.Tags.Contains("white"), Ct));
        Assert.False(await q.AnyAsync(p => p.Stock > 100, Ct));
        Assert.Equal(23, await q.SumAsync(p => p.Stock, Ct));
        Assert.Equal("Eggplant", (await q.OrderByDescending(p => p.Added).FirstAsync(Ct)).Name);
        Assert.Equal(["fruit", "veg"], (await q.Select(p => p.Category).Distinct().ToListAsync(Ct)).Order());
    }

    [Fact]
    public async Task Array_and_string_projections()
    {
        var products = await Products();

        var rows = await products.AsQueryable()
            .Where(p => p.Tags.Count > 0)
            .OrderBy(p => p.Id)
            .Select(p => new { p.Id, TagCount = p.Tags.Count, First = p.Tags.First(), Initial = p.Name.Substring(0, 1), Year = p.Added.Year })
            .ToListAsync(Ct);

        Assert.Equal([1, 2, 4, 5], rows.Select(r => r.Id));
        Assert.Equal((2, "red", "A", 2024), (rows[0].TagCount, rows[0].First, rows[0].Initial, rows[0].Year));
    }

    [Fact]
    public async Task SelectMany_unwinds_arrays()
    {
        var products = await Products();

        var tags = await products.AsQueryable().SelectMany(p => p.Tags).ToListAsync(Ct);

        Assert.Equal(["purple", "red", "sweet", "white", "yellow"], tags.Order());
    }
}
