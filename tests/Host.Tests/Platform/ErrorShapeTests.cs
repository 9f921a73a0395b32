using System.Net;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Platform;

public sealed class ErrorShapeTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    private const string Products = "/api/v1/catalog/products";

    [Fact]
    public async Task An_unknown_route_returns_404_in_the_error_shape_with_a_request_id()
    {
        var response = await app.Anonymous().GetAsync("/no/such/route", TestContext.Current.CancellationToken);
        var problem = await response.ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("/no/such/route", (string?)problem["instance"]);
    }

    [Fact]
    public async Task A_wrong_method_returns_405_in_the_error_shape()
    {
        var response = await app.Writer().DeleteAsync(Products, TestContext.Current.CancellationToken);
        await response.ProblemAsync(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
    }

    [Fact]
    public async Task A_sane_caller_request_id_is_echoed_and_an_insane_one_is_replaced()
    {
        var client = app.Anonymous();
        using var sane = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        sane.Headers.Add("X-Request-Id", "abc-123_x.y");
        var saneResponse = await client.SendAsync(sane, TestContext.Current.CancellationToken);
        Assert.Equal("abc-123_x.y", saneResponse.Headers.GetValues("X-Request-Id").Single());

        using var insane = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        insane.Headers.TryAddWithoutValidation("X-Request-Id", "evil id\u00e9" + new string('a', 200));
        var insaneResponse = await client.SendAsync(insane, TestContext.Current.CancellationToken);
        var replaced = insaneResponse.Headers.GetValues("X-Request-Id").Single();
        Assert.Matches("^[0-9a-f]{32}$", replaced);
    }

    [Fact]
    public async Task Malformed_json_returns_400_MALFORMED_JSON()
    {
        var response = await app.Writer().PostAsync(Products, Http.Json("{\"sku\": "), TestContext.Current.CancellationToken);
        await response.ProblemAsync(HttpStatusCode.BadRequest, "MALFORMED_JSON");
    }

    [Fact]
    public async Task An_unknown_property_is_rejected_with_the_field_named()
    {
        var response = await app.Writer().PostAsync(Products,
            Http.Json("""{"sku":"X-1","name":"n","price":{"amount":1,"currency":"EUR"},"stock":1,"colour":"red"}"""),
            TestContext.Current.CancellationToken);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.NotNull(problem["errors"]!["colour"]);
        Assert.DoesNotContain("Monolith.", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"sku":"X-1","name":"n","price":{"amount":1,"currency":"EUR"},"stock":1,"$where":"sleep(1000)"}""", "$where")]
    [InlineData("""{"sku":"X-1","name":"n","price":{"amount":1,"currency":"EUR","$gt":""},"stock":1}""", "price.$gt")]
    [InlineData("""{"sku":"X-1","name":"n","price":{"amount":1,"currency":"EUR"},"stock":1,"a.b":1}""", "a.b")]
    public async Task Keys_that_would_reach_MongoDB_as_operators_or_paths_are_rejected(string body, string field)
    {
        var response = await app.Writer().PostAsync(Products, Http.Json(body), TestContext.Current.CancellationToken);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "INVALID_FIELD_NAME");
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Validation_failures_return_400_with_errors_per_field()
    {
        var response = await app.Writer().PostAsync(Products,
            Http.Json("""{"sku":"","name":"","price":{"amount":-1,"currency":"EURO"},"stock":-5}"""), TestContext.Current.CancellationToken);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var errors = problem["errors"]!.AsObject();
        foreach (var field in new[] { "sku", "name", "price.amount", "price.currency", "stock" })
        {
            Assert.True(errors.ContainsKey(field), $"no error for {field}: {errors.ToJsonString()}");
        }
    }

    [Fact]
    public async Task Strings_are_trimmed_and_length_limited()
    {
        var client = app.Writer();
        var created = await client.PostAsync(Products,
            Http.Json("""{"sku":"  TRIM-1  ","name":"  Spaced  ","price":{"amount":1,"currency":"EUR"},"stock":1}"""),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.BodyAsync();
        Assert.Equal("TRIM-1", (string?)body["sku"]);
        Assert.Equal("Spaced", (string?)body["name"]);

        var tooLong = await client.PostAsync(Products,
            Http.Json($$"""{"sku":"LONG-1","name":"{{new string('n', 201)}}","price":{"amount":1,"currency":"EUR"},"stock":1}"""),
            TestContext.Current.CancellationToken);
        var problem = await tooLong.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.NotNull(problem["errors"]!["name"]);
    }

    [Fact]
    public async Task A_query_parameter_of_the_wrong_type_is_a_validation_error()
    {
        var response = await app.Anonymous().GetAsync($"{Products}?limit=abc", TestContext.Current.CancellationToken);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.NotNull(problem["errors"]!["limit"]);
    }

    [Fact]
    public async Task A_body_over_the_1_MiB_limit_returns_413()
    {
        var big = $$"""{"sku":"BIG-1","name":"n","description":"{{new string('d', 1024 * 1024 + 10)}}","price":{"amount":1,"currency":"EUR"},"stock":1}""";
        var response = await app.Writer().PostAsync(Products, Http.Json(big), TestContext.Current.CancellationToken);
        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task A_wrong_content_type_returns_415()
    {
        var response = await app.Writer().PostAsync(Products, new StringContent("sku=1"), TestContext.Current.CancellationToken);
        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Fact]
    public async Task Writes_need_authentication_and_the_permission()
    {
        var body = Http.Json("""{"sku":"AUTH-1","name":"n","price":{"amount":1,"currency":"EUR"},"stock":1}""");
        var anonymous = await app.Anonymous().PostAsync(Products, body, TestContext.Current.CancellationToken);
        await anonymous.ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        var reader = await app.As("bob", "catalog.read").PostAsync(Products, body, TestContext.Current.CancellationToken);
        await reader.ProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Versioned_routes_report_the_supported_versions()
    {
        var response = await app.Anonymous().GetAsync(Products, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("1.0", response.Headers.GetValues("api-supported-versions").Single(), StringComparison.Ordinal);
    }
}
