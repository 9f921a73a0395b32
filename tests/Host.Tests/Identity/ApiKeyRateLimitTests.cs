using System.Net;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Identity;

public sealed class ApiKeyLimitedApp : AccountsApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["RateLimiting:Policies:catalog-read:PermitLimit"] = "3",
        ["RateLimiting:Policies:catalog-read:Window"] = "00:01:00",
        ["RateLimiting:Policies:identity-me:PermitLimit"] = "2",
        ["RateLimiting:Policies:identity-me:Window"] = "00:01:00",
    };
}

/// <summary>A request authenticated by an API key is limited in the key's own partition (its subject <c>apikey:&lt;id&gt;</c>).</summary>
public sealed class ApiKeyRateLimitTests(ApiKeyLimitedApp app) : IClassFixture<ApiKeyLimitedApp>
{
    [Fact]
    public async Task Each_api_key_has_its_own_rate_limit_partition()
    {
        var first = app.WithApiKey((string)(await app.CreateApiKeyAsync("first", "catalog.write"))["key"]!);
        var second = app.WithApiKey((string)(await app.CreateApiKeyAsync("second", "catalog.write"))["key"]!);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/catalog/products", TestContext.Current.CancellationToken)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await first.GetAsync("/api/v1/catalog/products", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/catalog/products", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.As("someone-else").GetAsync("/api/v1/catalog/products", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task The_identity_policies_take_their_limits_from_configuration()
    {
        var client = app.As("me-limited");
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/identity/me", TestContext.Current.CancellationToken)).StatusCode);
        }

        var limited = await client.GetAsync("/api/v1/identity/me", TestContext.Current.CancellationToken);
        await limited.ProblemAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.Equal("2;w=60", limited.Headers.GetValues("RateLimit-Policy").Single());
    }
}
