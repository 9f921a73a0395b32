using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monolith.Host.Tests.Support;
using Serilog.Events;

namespace Monolith.Host.Tests.Platform;

public sealed class LoggingTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    [Fact]
    public async Task Passwords_tokens_keys_authorization_and_cookies_never_reach_the_logs()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/catalog/products?token=QuerySecret000")
        {
            Content = Http.Json("""{"sku":"LOG-1","name":"n","price":{"amount":1,"currency":"EUR"},"stock":1,"password":"BodySecret789"}"""),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Test AuthSecretUser111 catalog.write");
        request.Headers.Add("Cookie", "session=CookieSecret123");
        request.Headers.Add("X-Api-Key", "ApiKeySecret456");
        var response = await app.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Monolith.Tests");
        logger.LogInformation("Signing in {User} with {Password}, {ApiKey} and {AccessToken}", "bob", "PwSecret1", "KeySecret2", "TokSecret3");
        logger.LogInformation("Credentials {@Credentials}", new { User = "bob", ClientSecret = "NestedSecret4" });

        var text = app.Logs.Text();
        foreach (var secret in new[] { "QuerySecret000", "BodySecret789", "CookieSecret123", "ApiKeySecret456", "PwSecret1", "KeySecret2", "TokSecret3", "NestedSecret4" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.Contains("bob", text, StringComparison.Ordinal);
        Assert.Contains("***", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_request_writes_one_completion_event_with_the_request_properties()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/catalog/products?limit=5");
        request.Headers.Add("X-Request-Id", "completion-event-test");
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        request.Headers.TryAddWithoutValidation("Authorization", "Test carol catalog.read");
        var response = await app.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var completion = Assert.Single(app.Logs.Events, e =>
            e.Properties.ContainsKey("StatusCode") && Scalar(e, "RequestId") == "completion-event-test");
        Assert.Equal("GET", Scalar(completion, "RequestMethod"));
        Assert.Equal("/api/v1/catalog/products", Scalar(completion, "Route"));
        Assert.Equal("200", Scalar(completion, "StatusCode"));
        Assert.True(completion.Properties.ContainsKey("Elapsed"));
        Assert.Equal("carol", Scalar(completion, "UserId"));
        Assert.Equal("catalog", Scalar(completion, "Module"));
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", Scalar(completion, "TraceId"));
        Assert.Equal("completion-event-test", Scalar(completion, "CorrelationId"));
    }

    private static string? Scalar(LogEvent e, string name) =>
        e.Properties.TryGetValue(name, out var value) && value is ScalarValue { Value: var v } ? v?.ToString() : null;
}
