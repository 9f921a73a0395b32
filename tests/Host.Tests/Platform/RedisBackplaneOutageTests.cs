using System.Net;
using Monolith.Host.Tests.Catalog;
using Monolith.Host.Tests.Support;
using static Monolith.Host.Tests.Platform.RedisBackplaneTests;

namespace Monolith.Host.Tests.Platform;

/// <summary>
/// The Redis process dies under two running hosts and comes back on the same port: the hosts keep answering from
/// memory, writes keep working and invalidate locally, and once Redis is back the backplane carries writes again.
/// Its own cluster, because it kills its Redis.
/// </summary>
public sealed class RedisBackplaneOutageTests(RedisCluster cluster) : IClassFixture<RedisCluster>
{
    /// <summary>Reconnecting takes the client's retry back-off plus FusionCache's 5 s circuit breaker.</summary>
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hosts_survive_a_redis_outage_and_the_backplane_recovers_when_redis_returns()
    {
        var (a, b, redis) = (cluster.A, cluster.B, cluster.Redis);
        var product = await a.Writer().CreateProductAsync(CatalogApi.Product(name: "Before the outage"));
        var id = (string)product["id"]!;
        var url = $"{CatalogApi.Products}/{id}";
        await UntilNameAsync(a, url, "Before the outage");
        await UntilNameAsync(b, url, "Before the outage");
        await L2EntryAsync(redis, $"*catalog:product:{id}", "Before the outage");
        Assert.Equal("Healthy", await ReadinessAsync(a));

        redis.Stop();
        Assert.False(await redis.PingAsync());

        // Reads answer from memory; readiness stays 200 (a Redis outage must not take every instance out of the
        // load balancer) but says the cache is degraded.
        await UntilNameAsync(a, url, "Before the outage");
        await UntilNameAsync(b, url, "Before the outage");
        await Probe.UntilAsync(async () => await ReadinessAsync(a) == "Degraded", Recovery, () => "readiness did not report the cache as degraded");

        // A write on B works and invalidates B's own memory cache at once.
        using var patch = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Http.Json("""{"name":"During the outage"}""", "application/merge-patch+json") };
        var patched = await b.Writer().SendAsync(patch.WithIfMatch("\"1\""), Ct);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("During the outage", (string?)(await (await b.Anonymous().GetAsync(url, Ct)).BodyAsync())["name"]);

        // Creating works too, and the creating host's cached lists show the new product.
        var tag = UniqueTag();
        var listUrl = $"{CatalogApi.Products}?tag={tag}";
        Assert.Empty((await (await a.Anonymous().GetAsync(listUrl, Ct)).BodyAsync())["data"]!.AsArray());
        var created = await a.Writer().CreateProductAsync(CatalogApi.Product(tags: [tag]));
        await UntilListedAsync(a, listUrl, (string)created["id"]!, listed: true);

        await redis.StartAsync();

        await Probe.UntilAsync(async () => await ReadinessAsync(a) == "Healthy", Recovery, () => "readiness did not return to healthy");
        await Probe.UntilAsync(async () => await ReadinessAsync(b) == "Healthy", Recovery, () => "readiness did not return to healthy");

        // FusionCache's auto-recovery replays what the backplane missed: B's write during the outage reaches A.
        await UntilNameAsync(a, url, "During the outage", Recovery);

        // The backplane carries writes again: B's write reaches A's memory cache.
        var current = (await b.Anonymous().GetAsync(url, Ct)).Headers.ETag!.Tag;
        using var put = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Http.Json("""{"name":"After the outage"}""", "application/merge-patch+json") };
        Assert.Equal(HttpStatusCode.OK, (await b.Writer().SendAsync(put.WithIfMatch(current), Ct)).StatusCode);
        await UntilNameAsync(a, url, "After the outage", Recovery);
        await L2EntryAsync(redis, $"*catalog:product:{id}", "After the outage");
    }

    private static async Task<string> ReadinessAsync(CatalogApp host)
    {
        var response = await host.Anonymous().GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }
}
