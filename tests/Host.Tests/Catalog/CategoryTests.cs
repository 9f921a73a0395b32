using System.Net;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Catalog;

public sealed class CategoryTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_category_round_trips_with_its_parent()
    {
        var parent = await app.Writer().CreateCategoryAsync("Parent");
        var child = await app.Writer().CreateCategoryAsync("Child", (string)parent["id"]!);
        var read = await app.Anonymous().GetAsync($"{CatalogApi.Categories}/{child["id"]}", Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal((string)parent["id"]!, (string?)(await read.BodyAsync())["parentId"]);
        Assert.Equal("public, max-age=60", read.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task A_duplicate_slug_returns_409()
    {
        var body = Http.Json("""{"name":"Dup","slug":"dup-slug"}""");
        Assert.Equal(HttpStatusCode.Created, (await app.Writer().PostAsync(CatalogApi.Categories, body, Ct)).StatusCode);
        var again = await app.Writer().PostAsync(CatalogApi.Categories, Http.Json("""{"name":"Dup 2","slug":"dup-slug"}"""), Ct);
        await again.ProblemAsync(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Theory]
    [InlineData("""{"name":"","slug":"ok"}""", "name")]
    [InlineData("""{"name":"Bad slug","slug":"Not A Slug"}""", "slug")]
    [InlineData("""{"name":"Orphan","slug":"orphan","parentId":"65f000000000000000000000"}""", "parentId")]
    public async Task Invalid_categories_are_rejected_per_field(string body, string field)
    {
        var response = await app.Writer().PostAsync(CatalogApi.Categories, Http.Json(body), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Category_writes_have_a_smaller_body_limit_than_the_default()
    {
        var response = await app.Writer().PostAsync(CatalogApi.Categories,
            Http.Json($$"""{"name":"{{new string('n', 20 * 1024)}}","slug":"big"}"""), Ct);
        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task A_category_cannot_become_its_own_ancestor()
    {
        var root = await app.Writer().CreateCategoryAsync("Root");
        var leaf = await app.Writer().CreateCategoryAsync("Leaf", (string)root["id"]!);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"{CatalogApi.Categories}/{root["id"]}")
        {
            Content = Http.Json($$"""{"parentId":"{{leaf["id"]}}"}""", "application/merge-patch+json"),
        };
        var problem = await (await app.Writer().SendAsync(patch.WithIfMatch("\"1\""), Ct)).ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.NotNull(problem["errors"]!["parentId"]);
    }

    [Fact]
    public async Task Categories_page_by_name_and_soft_delete_and_restore()
    {
        var parent = await app.Writer().CreateCategoryAsync("Pager");
        var parentId = (string)parent["id"]!;
        foreach (var name in new[] { "Delta", "Alpha", "Charlie", "Bravo" })
        {
            await app.Writer().CreateCategoryAsync(name, parentId);
        }

        var first = await (await app.Anonymous().GetAsync($"{CatalogApi.Categories}?parentId={parentId}&limit=3", Ct)).BodyAsync();
        Assert.Equal(["Alpha", "Bravo", "Charlie"], first["data"]!.AsArray().Select(c => (string)c!["name"]!));
        var second = await (await app.Anonymous().GetAsync(
            $"{CatalogApi.Categories}?parentId={parentId}&limit=3&cursor={Uri.EscapeDataString((string)first["nextCursor"]!)}", Ct)).BodyAsync();
        Assert.Equal(["Delta"], second["data"]!.AsArray().Select(c => (string)c!["name"]!));

        var alpha = first["data"]![0]!;
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"{CatalogApi.Categories}/{alpha["id"]}");
        Assert.Equal(HttpStatusCode.NoContent, (await app.Writer().SendAsync(delete.WithIfMatch("\"1\""), Ct)).StatusCode);
        var afterDelete = await (await app.Anonymous().GetAsync($"{CatalogApi.Categories}?parentId={parentId}", Ct)).BodyAsync();
        Assert.DoesNotContain("Alpha", afterDelete["data"]!.AsArray().Select(c => (string)c!["name"]!));

        Assert.Equal(HttpStatusCode.OK, (await app.Writer().PostAsync($"{CatalogApi.Categories}/{alpha["id"]}/restore", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync($"{CatalogApi.Categories}/{alpha["id"]}", Ct)).StatusCode);
    }
}
