using System.Net;
using System.Text.Json.Nodes;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Platform;

public sealed class PlatformEndpointTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_healthy(string path)
    {
        var response = await app.Anonymous().GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_docs_ui_and_the_openapi_document_are_served()
    {
        var client = app.Anonymous();
        var docs = await client.GetAsync("/docs", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        Assert.NotNull(document["paths"]!["/api/v1/catalog/products"]);
        Assert.NotNull(document["components"]!["schemas"]!["Problem"]);
    }

    [Fact]
    public async Task A_cors_preflight_from_an_allowed_origin_is_answered()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/catalog/products");
        request.Headers.Add("Origin", "https://app.example.test");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,idempotency-key");
        var response = await app.Anonymous().SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://app.example.test", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cors_preflight_from_another_origin_gets_no_allow_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/catalog/products");
        request.Headers.Add("Origin", "https://evil.example.test");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        var response = await app.Anonymous().SendAsync(request, TestContext.Current.CancellationToken);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_bare_ping_endpoint_answers()
    {
        var response = await app.Anonymous().GetStringAsync("/ping", TestContext.Current.CancellationToken);
        Assert.Equal("""{"message":"pong"}""", response);
    }
}
