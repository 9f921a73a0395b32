using System.Net;
using Monolith.Host.Tests.Catalog;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Platform;

/// <summary>Redis configured as L2 and backplane, but not answering: the cache degrades to memory and the API works.</summary>
public sealed class UnreachableRedisApp : CatalogApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Redis"] = "127.0.0.1:1,abortConnect=false,connectTimeout=200,syncTimeout=200",
    };
}

public sealed class RedisDownTests(UnreachableRedisApp app) : IClassFixture<UnreachableRedisApp>
{
    [Fact]
    public async Task Reads_and_writes_keep_working_when_redis_is_down()
    {
        var product = await app.Writer().CreateProductAsync(CatalogApi.Product(name: "Survives redis"));
        var url = $"{CatalogApi.Products}/{product["id"]}";
        for (var i = 0; i < 2; i++)
        {
            var read = await app.Anonymous().GetAsync(url, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using var patch = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Http.Json("""{"name":"Still fresh"}""", "application/merge-patch+json") };
        Assert.Equal(HttpStatusCode.OK, (await app.Writer().SendAsync(patch.WithIfMatch("\"1\""), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal("Still fresh", (string?)(await (await app.Anonymous().GetAsync(url, TestContext.Current.CancellationToken)).BodyAsync())["name"]);
    }

    [Fact]
    public async Task Readiness_stays_200_but_reports_the_cache_degraded_when_redis_is_down()
    {
        var response = await app.Anonymous().GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Degraded", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
