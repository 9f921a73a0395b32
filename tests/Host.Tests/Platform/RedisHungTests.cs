using System.Diagnostics;
using System.Net;
using Monolith.Host.Tests.Catalog;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Platform;

/// <summary>
/// Redis that accepts connections but answers nothing (CLIENT PAUSE): writes (tag invalidation), product reads and
/// list reads give up on it after the 1 s hard timeout instead of waiting for the Redis client's own 5 s.
/// </summary>
public sealed class RedisHungTests(RedisCluster cluster) : IClassFixture<RedisCluster>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(4.5); // measured 1-2.5 s; 5.7-6.1 s before the fail-fast settings

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_and_writes_do_not_wait_for_a_hung_redis()
    {
        var name = "Hung" + Guid.NewGuid().ToString("N")[..8];
        var product = await cluster.A.Writer().CreateProductAsync(CatalogApi.Product(name: name));
        var url = $"{CatalogApi.Products}/{product["id"]}";
        Assert.Equal(HttpStatusCode.OK, (await cluster.A.Anonymous().GetAsync(url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cluster.B.Anonymous().GetAsync(url, Ct)).StatusCode);

        await (await cluster.Redis.DatabaseAsync()).ExecuteAsync("CLIENT", "PAUSE", "10000", "ALL");

        var clock = Stopwatch.StartNew();
        using var patch = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Http.Json("{\"description\":\"patched while Redis hangs\"}", "application/merge-patch+json") };
        Assert.Equal(HttpStatusCode.OK, (await cluster.A.Writer().SendAsync(patch.WithIfMatch("\"1\""), Ct)).StatusCode);
        Assert.True(clock.Elapsed < Bound, $"a write took {clock.Elapsed.TotalSeconds:F1} s with Redis hung");

        clock.Restart();
        Assert.Equal(HttpStatusCode.OK, (await cluster.B.Anonymous().GetAsync($"{CatalogApi.Products}?q={name}", Ct)).StatusCode);
        Assert.True(clock.Elapsed < Bound, $"a list read took {clock.Elapsed.TotalSeconds:F1} s with Redis hung");

        clock.Restart();
        Assert.Equal(HttpStatusCode.OK, (await cluster.B.Anonymous().GetAsync(url, Ct)).StatusCode);
        Assert.True(clock.Elapsed < Bound, $"a product read took {clock.Elapsed.TotalSeconds:F1} s with Redis hung");
    }
}
