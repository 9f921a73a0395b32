using System.Net;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Platform;

public sealed class TightlyLimitedApp : CatalogApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimiting:Policies:catalog-read:PermitLimit"] = "3",
        ["RateLimiting:Policies:catalog-read:Window"] = "00:01:00",
    };
}

public sealed class RateLimitTests(TightlyLimitedApp app) : IClassFixture<TightlyLimitedApp>
{
    [Fact]
    public async Task Past_the_limit_requests_get_429_with_retry_and_ratelimit_headers()
    {
        var client = app.As("limited-user", "catalog.read");
        for (var i = 0; i < 3; i++)
        {
            var ok = await client.GetAsync("/api/v1/catalog/products", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var limited = await client.GetAsync("/api/v1/catalog/products", TestContext.Current.CancellationToken);
        await limited.ProblemAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("3;w=60", limited.Headers.GetValues("RateLimit-Policy").Single());
        Assert.StartsWith("limit=3, remaining=0, reset=", limited.Headers.GetValues("RateLimit").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_callers_are_partitioned_per_api_key()
    {
        async Task<HttpStatusCode> Get(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/catalog/products");
            request.Headers.Add("X-Api-Key", key);
            return (await app.Anonymous().SendAsync(request, TestContext.Current.CancellationToken)).StatusCode;
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await Get("key-one"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await Get("key-one"));
        Assert.Equal(HttpStatusCode.OK, await Get("key-two"));
    }

    [Fact]
    public async Task Limits_are_partitioned_per_user()
    {
        var first = app.As("partition-a", "catalog.read");
        for (var i = 0; i < 4; i++)
        {
            await first.GetAsync("/api/v1/catalog/products", TestContext.Current.CancellationToken);
        }

        var other = await app.As("partition-b", "catalog.read").GetAsync("/api/v1/catalog/products", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
