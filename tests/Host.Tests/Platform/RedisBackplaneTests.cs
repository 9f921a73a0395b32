using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Monolith.Host.Tests.Catalog;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Platform;

/// <summary>
/// Two hosts on one database and one real Redis: reads land in Redis (L2), writes on one host reach the other host's
/// memory cache through the backplane, and a cold host is served from L2.
/// </summary>
public sealed class RedisBackplaneTests(RedisCluster cluster) : IClassFixture<RedisCluster>
{
    /// <summary>The backplane is asynchronous; a healthy one delivers in milliseconds, the margin is for a loaded machine.</summary>
    internal static readonly TimeSpan Propagation = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reading_a_product_and_a_list_stores_both_in_redis()
    {
        var tag = UniqueTag();
        var product = await cluster.A.Writer().CreateProductAsync(CatalogApi.Product(name: "Stored in L2", tags: [tag]));
        var id = (string)product["id"]!;

        Assert.Equal(HttpStatusCode.OK, (await cluster.A.Anonymous().GetAsync($"{CatalogApi.Products}/{id}", Ct)).StatusCode);
        var list = await cluster.A.Anonymous().GetAsync($"{CatalogApi.Products}?tag={tag}", Ct);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);

        // FusionCache prefixes its L2 keys with the wire format version ("v2:"); match any prefix rather than assume one.
        var entry = await L2EntryAsync(cluster.Redis, $"*catalog:product:{id}", "Stored in L2");
        Assert.Contains("\"version\":1", entry, StringComparison.Ordinal);
        await L2EntryAsync(cluster.Redis, "*catalog:products:list:*", id);
    }

    [Fact]
    public async Task A_cold_host_is_served_from_redis_not_from_the_database()
    {
        var product = await cluster.A.Writer().CreateProductAsync(CatalogApi.Product(name: "Cached by A"));
        var id = (string)product["id"]!;
        var url = $"{CatalogApi.Products}/{id}";
        var fromA = await cluster.A.Anonymous().GetAsync(url, Ct);
        var bodyA = await fromA.Content.ReadAsStringAsync(Ct);
        await L2EntryAsync(cluster.Redis, $"*catalog:product:{id}", "Cached by A");

        // Change the document behind the cache's back: whoever answers "Cached by A" now answers from Redis.
        var products = cluster.A.Database.GetCollection<MongoDB.Bson.BsonDocument>("catalog.products");
        var changed = await products.UpdateOneAsync(
            new MongoDB.Bson.BsonDocument("_id", MongoDB.Bson.ObjectId.Parse(id)),
            new MongoDB.Bson.BsonDocument("$set", new MongoDB.Bson.BsonDocument("name", "Only in the database")), cancellationToken: Ct);
        Assert.Equal(1, changed.ModifiedCount);

        await using var cold = await cluster.StartNodeAsync();
        var fromCold = await cold.Anonymous().GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, fromCold.StatusCode);
        Assert.Equal(fromA.Headers.ETag, fromCold.Headers.ETag);
        Assert.Equal(bodyA, await fromCold.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task An_update_on_one_host_reaches_the_other_hosts_memory_cache()
    {
        var product = await cluster.A.Writer().CreateProductAsync(CatalogApi.Product(name: "Before"));
        var url = $"{CatalogApi.Products}/{product["id"]}";
        Assert.Equal("Before", (string?)(await (await cluster.A.Anonymous().GetAsync(url, Ct)).BodyAsync())["name"]);

        using var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = Http.Json(CatalogApi.Product((string)product["sku"]!, name: "After").ToJsonString()) };
        Assert.Equal(HttpStatusCode.OK, (await cluster.B.Writer().SendAsync(put.WithIfMatch("\"1\""), Ct)).StatusCode);

        await UntilNameAsync(cluster.A, url, "After");
        Assert.Equal("\"2\"", (await cluster.A.Anonymous().GetAsync(url, Ct)).Headers.ETag!.Tag);
    }

    [Fact]
    public async Task A_product_created_on_one_host_appears_in_the_other_hosts_cached_list()
    {
        var tag = UniqueTag();
        var url = $"{CatalogApi.Products}?tag={tag}";
        Assert.Empty((await (await cluster.A.Anonymous().GetAsync(url, Ct)).BodyAsync())["data"]!.AsArray());

        var product = await cluster.B.Writer().CreateProductAsync(CatalogApi.Product(tags: [tag]));

        await UntilListedAsync(cluster.A, url, (string)product["id"]!, listed: true);
    }

    [Fact]
    public async Task A_delete_on_one_host_reaches_the_other_hosts_memory_cache()
    {
        var tag = UniqueTag();
        var product = await cluster.A.Writer().CreateProductAsync(CatalogApi.Product(tags: [tag]));
        var id = (string)product["id"]!;
        var url = $"{CatalogApi.Products}/{id}";
        var listUrl = $"{CatalogApi.Products}?tag={tag}";
        Assert.Equal(HttpStatusCode.OK, (await cluster.A.Anonymous().GetAsync(url, Ct)).StatusCode);
        await UntilListedAsync(cluster.A, listUrl, id, listed: true);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, url);
        Assert.Equal(HttpStatusCode.NoContent, (await cluster.B.Writer().SendAsync(delete.WithIfMatch("\"1\""), Ct)).StatusCode);

        await UntilStatusAsync(cluster.A, url, HttpStatusCode.NotFound);
        await UntilListedAsync(cluster.A, listUrl, id, listed: false);
    }

    [Fact]
    public async Task A_category_renamed_on_one_host_is_renamed_on_the_other()
    {
        var category = await cluster.A.Writer().CreateCategoryAsync("Original");
        var url = $"{CatalogApi.Categories}/{category["id"]}";
        await UntilNameAsync(cluster.A, url, "Original");

        using var patch = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Http.Json("""{"name":"Renamed"}""", "application/merge-patch+json") };
        Assert.Equal(HttpStatusCode.OK, (await cluster.B.Writer().SendAsync(patch.WithIfMatch("\"1\""), Ct)).StatusCode);

        await UntilNameAsync(cluster.A, url, "Renamed");
    }

    internal static string UniqueTag() => "r" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Polls Redis until a key matching the pattern holds a cache entry containing the text; returns that entry.</summary>
    internal static async Task<string> L2EntryAsync(RedisServer redis, string pattern, string containing)
    {
        var seen = new List<string>();
        string? found = null;
        await Probe.UntilAsync(
            async () =>
            {
                seen.Clear();
                foreach (var key in await redis.KeysAsync(pattern))
                {
                    // Microsoft.Extensions.Caching.StackExchangeRedis keeps each entry as a hash; the payload is "data".
                    var data = await (await redis.DatabaseAsync()).HashGetAsync(key, "data");
                    var text = data.IsNull ? "" : Encoding.UTF8.GetString((byte[])data!);
                    seen.Add($"{key} = {text}");
                    if (text.Contains(containing, StringComparison.Ordinal))
                    {
                        found = text;
                        return true;
                    }
                }

                return false;
            },
            Propagation,
            () => $"no key matching '{pattern}' holds '{containing}'; seen: [{string.Join("; ", seen)}]");
        return found!;
    }

    internal static async Task UntilNameAsync(CatalogApp host, string url, string name, TimeSpan? timeout = null)
    {
        string? last = null;
        await Probe.UntilAsync(
            async () =>
            {
                var response = await host.Anonymous().GetAsync(url, Ct);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}";
                return response.StatusCode == HttpStatusCode.OK && (string?)(await response.BodyAsync())["name"] == name;
            },
            timeout ?? Propagation,
            () => $"expected name '{name}', last answer: {last}");
    }

    internal static async Task UntilStatusAsync(CatalogApp host, string url, HttpStatusCode status)
    {
        HttpStatusCode? last = null;
        await Probe.UntilAsync(
            async () => (last = (await host.Anonymous().GetAsync(url, Ct)).StatusCode) == status,
            Propagation,
            () => $"expected {status}, last answer: {last}");
    }

    internal static async Task UntilListedAsync(CatalogApp host, string url, string id, bool listed)
    {
        JsonObject? last = null;
        await Probe.UntilAsync(
            async () =>
            {
                last = await (await host.Anonymous().GetAsync(url, Ct)).BodyAsync();
                return last["data"]!.AsArray().Any(p => (string?)p!["id"] == id) == listed;
            },
            Propagation,
            () => $"expected {id} {(listed ? "in" : "not in")} the list, last answer: {last?.ToJsonString()}");
    }
}
