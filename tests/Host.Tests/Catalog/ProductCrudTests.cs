using System.Net;
using System.Text.Json.Nodes;
using Monolith.Host.Tests.Support;
using Monolith.Modules.Catalog.Contracts;

namespace Monolith.Host.Tests.Catalog;

public sealed class ProductCrudTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_a_product_returns_201_with_location_etag_and_the_product()
    {
        var category = await app.Writer().CreateCategoryAsync("Books");
        var response = await app.Writer().PostAsync(CatalogApi.Products,
            Http.Json(CatalogApi.Product(categoryId: (string)category["id"]!, tags: ["SciFi", "paper"]).ToJsonString()), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var product = await response.BodyAsync();
        Assert.Equal($"{CatalogApi.Products}/{product["id"]}", response.Headers.Location!.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        Assert.Equal(1, (long)product["version"]!);
        Assert.Equal(["scifi", "paper"], product["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(10m, (decimal)product["price"]!["amount"]!);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Creating_a_product_with_a_duplicate_sku_returns_409()
    {
        var sku = CatalogApi.NewSku("DUP");
        await app.Writer().CreateProductAsync(CatalogApi.Product(sku));
        var again = await app.Writer().PostAsync(CatalogApi.Products, Http.Json(CatalogApi.Product(sku).ToJsonString()), Ct);
        await again.ProblemAsync(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task Creating_a_product_in_an_unknown_category_is_a_validation_error()
    {
        var response = await app.Writer().PostAsync(CatalogApi.Products,
            Http.Json(CatalogApi.Product(categoryId: "65f000000000000000000000").ToJsonString()), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.NotNull(problem["errors"]!["categoryId"]);
    }

    [Fact]
    public async Task Anonymous_callers_see_active_products_publicly_cacheable_but_not_drafts()
    {
        var active = await app.Writer().CreateProductAsync(CatalogApi.Product(status: "active"));
        var draft = await app.Writer().CreateProductAsync(CatalogApi.Product(status: "draft"));

        var publicRead = await app.Anonymous().GetAsync($"{CatalogApi.Products}/{active["id"]}", Ct);
        Assert.Equal(HttpStatusCode.OK, publicRead.StatusCode);
        Assert.Equal("public, max-age=30", publicRead.Headers.CacheControl!.ToString());

        var hidden = await app.Anonymous().GetAsync($"{CatalogApi.Products}/{draft["id"]}", Ct);
        await hidden.ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");

        var privileged = await app.As("dora", CatalogPermissions.Read).GetAsync($"{CatalogApi.Products}/{draft["id"]}", Ct);
        Assert.Equal(HttpStatusCode.OK, privileged.StatusCode);
        Assert.Equal("no-store", privileged.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Getting_a_missing_or_malformed_id_returns_404()
    {
        await (await app.Anonymous().GetAsync($"{CatalogApi.Products}/65f000000000000000000000", Ct)).ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await app.Anonymous().GetAsync($"{CatalogApi.Products}/not-an-id", Ct)).ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task If_None_Match_with_the_current_etag_returns_304()
    {
        var product = await app.Writer().CreateProductAsync(CatalogApi.Product());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{CatalogApi.Products}/{product["id"]}");
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"1\"");
        var response = await app.Anonymous().SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Put_without_If_Match_returns_428_and_with_a_stale_etag_412()
    {
        var product = await app.Writer().CreateProductAsync(CatalogApi.Product());
        var url = $"{CatalogApi.Products}/{product["id"]}";
        var body = CatalogApi.Product((string)product["sku"]!, name: "Renamed");

        using var missing = new HttpRequestMessage(HttpMethod.Put, url) { Content = Http.Json(body.ToJsonString()) };
        await (await app.Writer().SendAsync(missing, Ct)).ProblemAsync(HttpStatusCode.PreconditionRequired, "PRECONDITION_REQUIRED");

        using var stale = new HttpRequestMessage(HttpMethod.Put, url) { Content = Http.Json(body.ToJsonString()) };
        await (await app.Writer().SendAsync(stale.WithIfMatch("\"7\""), Ct)).ProblemAsync(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");

        using var current = new HttpRequestMessage(HttpMethod.Put, url) { Content = Http.Json(body.ToJsonString()) };
        var ok = await app.Writer().SendAsync(current.WithIfMatch("\"1\""), Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("\"2\"", ok.Headers.ETag!.Tag);
        Assert.Equal("Renamed", (string?)(await ok.BodyAsync())["name"]);
    }

    [Fact]
    public async Task A_write_invalidates_the_cached_product()
    {
        var product = await app.Writer().CreateProductAsync(CatalogApi.Product(name: "Before"));
        var url = $"{CatalogApi.Products}/{product["id"]}";
        Assert.Equal("Before", (string?)(await (await app.Anonymous().GetAsync(url, Ct)).BodyAsync())["name"]);

        using var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = Http.Json(CatalogApi.Product((string)product["sku"]!, name: "After").ToJsonString()) };
        Assert.Equal(HttpStatusCode.OK, (await app.Writer().SendAsync(put.WithIfMatch("\"1\""), Ct)).StatusCode);

        Assert.Equal("After", (string?)(await (await app.Anonymous().GetAsync(url, Ct)).BodyAsync())["name"]);
    }

    [Fact]
    public async Task Patch_merges_only_the_given_fields_and_null_removes_one()
    {
        var product = await app.Writer().CreateProductAsync(CatalogApi.Product(name: "Patch me", price: 3m));
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"{CatalogApi.Products}/{product["id"]}")
        {
            Content = Http.Json("""{"price":{"amount":4.5},"description":null}""", "application/merge-patch+json"),
        };
        var response = await app.Writer().SendAsync(patch.WithIfMatch("\"1\""), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var patched = await response.BodyAsync();
        Assert.Equal(4.5m, (decimal)patched["price"]!["amount"]!);
        Assert.Equal("EUR", (string?)patched["price"]!["currency"]);
        Assert.Equal("Patch me", (string?)patched["name"]);
        Assert.Null(patched["description"]);
        Assert.Equal(2, (long)patched["version"]!);
    }

    [Theory]
    [InlineData("""{"price":{"amount":-1}}""", "application/merge-patch+json", HttpStatusCode.BadRequest, "VALIDATION_FAILED")]
    [InlineData("""{"stock":"many"}""", "application/merge-patch+json", HttpStatusCode.BadRequest, "MALFORMED_JSON")]
    [InlineData("""{"$set":{"stock":1}}""", "application/merge-patch+json", HttpStatusCode.BadRequest, "INVALID_FIELD_NAME")]
    [InlineData("""{"colour":"red"}""", "application/merge-patch+json", HttpStatusCode.BadRequest, "VALIDATION_FAILED")]
    [InlineData("""[1,2]""", "application/merge-patch+json", HttpStatusCode.BadRequest, "MALFORMED_JSON")]
    [InlineData("""{"name":"x"}""", "text/plain", HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")]
    public async Task Bad_patches_are_rejected_in_the_error_shape(string body, string mediaType, HttpStatusCode status, string code)
    {
        var product = await app.Writer().CreateProductAsync(CatalogApi.Product());
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"{CatalogApi.Products}/{product["id"]}") { Content = Http.Json(body, mediaType) };
        await (await app.Writer().SendAsync(patch.WithIfMatch("\"1\""), Ct)).ProblemAsync(status, code);
    }

    [Fact]
    public async Task Delete_is_soft_hides_the_product_and_restore_brings_it_back()
    {
        var product = await app.Writer().CreateProductAsync(CatalogApi.Product(tags: ["soft-delete"]));
        var url = $"{CatalogApi.Products}/{product["id"]}";

        using var noEtag = new HttpRequestMessage(HttpMethod.Delete, url);
        await (await app.Writer().SendAsync(noEtag, Ct)).ProblemAsync(HttpStatusCode.PreconditionRequired, "PRECONDITION_REQUIRED");

        using var delete = new HttpRequestMessage(HttpMethod.Delete, url);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Writer().SendAsync(delete.WithIfMatch("\"1\""), Ct)).StatusCode);
        await (await app.Writer().GetAsync(url, Ct)).ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        var list = await (await app.Writer().GetAsync($"{CatalogApi.Products}?tag=soft-delete", Ct)).BodyAsync();
        Assert.Empty(list["data"]!.AsArray());

        var restore = await app.Writer().PostAsync($"{url}/restore", null, Ct);
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        Assert.Equal("\"3\"", restore.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, (await app.Writer().GetAsync(url, Ct)).StatusCode);
    }

    [Fact]
    public async Task Writes_publish_integration_events()
    {
        var product = await app.Writer().CreateProductAsync(CatalogApi.Product());
        var id = (string)product["id"]!;
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"{CatalogApi.Products}/{id}")
        {
            Content = Http.Json("""{"price":{"amount":99}}""", "application/merge-patch+json"),
        };
        Assert.Equal(HttpStatusCode.OK, (await app.Writer().SendAsync(patch.WithIfMatch("*"), Ct)).StatusCode);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"{CatalogApi.Products}/{id}");
        Assert.Equal(HttpStatusCode.NoContent, (await app.Writer().SendAsync(delete.WithIfMatch("\"2\""), Ct)).StatusCode);

        Assert.Single(app.Events.All.OfType<ProductCreated>(), e => e.ProductId == id);
        Assert.Single(app.Events.All.OfType<ProductUpdated>(), e => e.ProductId == id && e.PriceAmount == 99m && e.Version == 2);
        Assert.Single(app.Events.All.OfType<ProductDeleted>(), e => e.ProductId == id);
    }
}
