using System.Net;
using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Host.Tests.Support;
using Monolith.Modules.Catalog.Products;

namespace Monolith.Host.Tests.Catalog;

public sealed class ProductListTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<JsonObject>> SeedAsync(string tag, int count, Func<int, JsonObject>? make = null)
    {
        var created = new List<JsonObject>();
        for (var i = 0; i < count; i++)
        {
            var product = make?.Invoke(i) ?? CatalogApi.Product(name: $"Item {i:D2}", price: 10 + i, tags: [tag]);
            created.Add(await app.Writer().CreateProductAsync(product));
        }

        return created;
    }

    private async Task<JsonObject> ListAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"{CatalogApi.Products}?{query}", Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.BodyAsync();
    }

    private static List<string> Ids(JsonObject page) => page["data"]!.AsArray().Select(p => (string)p!["id"]!).ToList();

    [Fact]
    public async Task Paging_walks_every_item_once_with_next_links_and_cursors()
    {
        var created = await SeedAsync("paging", 7);
        var seen = new List<string>();
        var response = await app.Writer().GetAsync($"{CatalogApi.Products}?tag=paging&limit=3&sort=price", Ct);
        while (true)
        {
            var page = await response.BodyAsync();
            seen.AddRange(Ids(page));
            if (!(bool)page["hasMore"]!)
            {
                Assert.Null((string?)page["nextCursor"]);
                Assert.False(response.Headers.Contains("Link"));
                break;
            }

            var link = response.Headers.GetValues("Link").Single();
            Assert.EndsWith("; rel=\"next\"", link, StringComparison.Ordinal);
            Assert.Contains("cursor=" + Uri.EscapeDataString((string)page["nextCursor"]!), link, StringComparison.Ordinal);
            response = await app.Writer().GetAsync(link[1..link.IndexOf('>', StringComparison.Ordinal)], Ct);
        }

        Assert.Equal(created.Select(p => (string)p["id"]!), seen);
    }

    [Fact]
    public async Task Paging_is_stable_under_concurrent_inserts()
    {
        await SeedAsync("stable", 6, i => CatalogApi.Product(name: $"Stable {i}", price: 100 + (i * 10), tags: ["stable"]));
        var first = await ListAsync(app.Writer(), "tag=stable&sort=price&limit=3");
        // Inserts on both sides of the cursor while the client pages.
        await SeedAsync("stable", 2, i => CatalogApi.Product(name: $"Early {i}", price: 50 + i, tags: ["stable"]));
        await SeedAsync("stable", 2, i => CatalogApi.Product(name: $"Late {i}", price: 1000 + i, tags: ["stable"]));
        var rest = new List<string>();
        var cursor = (string?)first["nextCursor"];
        while (cursor is not null)
        {
            var page = await ListAsync(app.Writer(), $"tag=stable&sort=price&limit=3&cursor={Uri.EscapeDataString(cursor)}");
            rest.AddRange(Ids(page));
            cursor = (string?)page["nextCursor"];
        }

        var all = Ids(first).Concat(rest).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(8, all.Count); // the 6 originals plus the 2 inserted after the cursor; the 2 before it are not seen
    }

    [Fact]
    public async Task Filters_select_by_category_tag_status_price_and_name_prefix()
    {
        var category = await app.Writer().CreateCategoryAsync("Filtering");
        var categoryId = (string)category["id"]!;
        var tag = "flt" + Guid.NewGuid().ToString("N")[..6];
        await app.Writer().CreateProductAsync(CatalogApi.Product(name: "Alpha lamp", price: 5, categoryId: categoryId, tags: [tag]));
        await app.Writer().CreateProductAsync(CatalogApi.Product(name: "alpine rope", price: 50, tags: [tag]));
        await app.Writer().CreateProductAsync(CatalogApi.Product(name: "Beta chair", price: 500, status: "draft", tags: [tag]));

        async Task<List<string>> Names(string query) =>
            (await ListAsync(app.Writer(), $"tag={tag}&sort=name&{query}"))["data"]!.AsArray().Select(p => (string)p!["name"]!).ToList();

        Assert.Equal(["Alpha lamp"], await Names($"categoryId={categoryId}"));
        Assert.Equal(["Beta chair"], await Names("status=draft"));
        Assert.Equal(["alpine rope", "Beta chair"], await Names("minPrice=10"));
        Assert.Equal(["Alpha lamp", "alpine rope"], await Names("maxPrice=50"));
        Assert.Equal(["Alpha lamp", "alpine rope"], await Names("q=ALP"));
        Assert.Equal(["Alpha lamp", "alpine rope", "Beta chair"], await Names(""));
        Assert.Equal(["Beta chair", "alpine rope", "Alpha lamp"], (await ListAsync(app.Writer(), $"tag={tag}&sort=-name"))["data"]!.AsArray().Select(p => (string)p!["name"]!));
        var anonymous = (await ListAsync(app.Anonymous(), $"tag={tag}&sort=name"))["data"]!.AsArray().Select(p => (string)p!["name"]!);
        Assert.Equal(["Alpha lamp", "alpine rope"], anonymous);
    }

    [Fact]
    public async Task A_new_product_appears_in_a_cached_list_after_it_is_created()
    {
        var tag = "cache" + Guid.NewGuid().ToString("N")[..6];
        await SeedAsync(tag, 1, _ => CatalogApi.Product(tags: [tag]));
        Assert.Single((await ListAsync(app.Anonymous(), $"tag={tag}"))["data"]!.AsArray());
        await SeedAsync(tag, 1, _ => CatalogApi.Product(tags: [tag]));
        Assert.Equal(2, (await ListAsync(app.Anonymous(), $"tag={tag}"))["data"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("sort=colour", "sort")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("minPrice=10&maxPrice=5", "maxPrice")]
    [InlineData("categoryId=nope", "categoryId")]
    [InlineData("status=sold", "status")]
    public async Task Bad_list_parameters_are_validation_errors(string query, string field)
    {
        var response = await app.Anonymous().GetAsync($"{CatalogApi.Products}?{query}", Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.NotNull(problem["errors"]![field]);
    }

    public static TheoryData<string, string?> FilterShapes => new()
    {
        { "", null },
        { "", "price" },
        { "", "-name" },
        { "categoryId", null },
        { "tag", "-createdAt" },
        { "status", "price" },
        { "q", "name" },
        { "minPrice", "price" },
    };

    /// <summary>Every filter and sort the list offers is answered from an index (explain shows IXSCAN, no COLLSCAN).</summary>
    [Theory]
    [MemberData(nameof(FilterShapes))]
    public async Task Every_filter_and_sort_is_served_by_an_index(string filter, string? sort)
    {
        var query = new ListProductsQuery(
            CategoryId: filter == "categoryId" ? ObjectId.GenerateNewId().ToString() : null,
            Tag: filter == "tag" ? "x" : null,
            Status: filter == "status" ? "draft" : null,
            MinPrice: filter == "minPrice" ? 1 : null,
            MaxPrice: null,
            Q: filter == "q" ? "ab" : null,
            Sort: sort,
            Limit: 20,
            Cursor: null,
            PublicOnly: filter is "" or "q" or "minPrice");
        var field = ProductSorts.Fields[(sort ?? ProductSorts.Default).TrimStart('-')];
        var direction = (sort ?? ProductSorts.Default).StartsWith('-') ? -1 : 1;
        var explain = await app.Database.RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "explain", new BsonDocument
                {
                    { "find", "catalog.products" },
                    { "filter", ListProductsHandler.BuildFilter(query) },
                    { "sort", new BsonDocument { { field, direction }, { "_id", direction } } },
                    { "limit", 21 },
                }
            },
            { "verbosity", "queryPlanner" },
        }, cancellationToken: Ct);
        var plan = explain["queryPlanner"]["winningPlan"].ToJson();
        Assert.Contains("IXSCAN", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("COLLSCAN", plan, StringComparison.Ordinal);
    }
}
