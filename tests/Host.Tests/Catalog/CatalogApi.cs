using System.Net;
using System.Text.Json.Nodes;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Catalog;

internal static class CatalogApi
{
    public const string Products = "/api/v1/catalog/products";
    public const string Categories = "/api/v1/catalog/categories";

    private static int sequence;

    public static string NewSku(string prefix = "SKU") => $"{prefix}-{Interlocked.Increment(ref sequence):D5}-{Guid.NewGuid().ToString("N")[..6]}";

    public static JsonObject Product(string? sku = null, string name = "Widget", decimal price = 10m, string status = "active",
        string? categoryId = null, string[]? tags = null, int stock = 5) => new()
    {
        ["sku"] = sku ?? NewSku(),
        ["name"] = name,
        ["description"] = "A product for tests",
        ["price"] = new JsonObject { ["amount"] = price, ["currency"] = "EUR" },
        ["categoryId"] = categoryId,
        ["tags"] = new JsonArray((tags ?? ["test"]).Select(t => (JsonNode)t!).ToArray()),
        ["stock"] = stock,
        ["status"] = status,
    };

    public static async Task<JsonObject> CreateProductAsync(this HttpClient client, JsonObject product)
    {
        var response = await client.PostAsync(Products, Http.Json(product.ToJsonString()), TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.BodyAsync();
    }

    public static async Task<JsonObject> CreateCategoryAsync(this HttpClient client, string name, string? parentId = null)
    {
        var body = new JsonObject { ["name"] = name, ["slug"] = $"{name.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}", ["parentId"] = parentId };
        var response = await client.PostAsync(Categories, Http.Json(body.ToJsonString()), TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.BodyAsync();
    }

    public static HttpRequestMessage WithIfMatch(this HttpRequestMessage request, string? etag)
    {
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        return request;
    }
}
