using System.Net;
using System.Text.Json.Nodes;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Identity;

public sealed class RoleAdminTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    private const string Roles = "/api/v1/identity/roles";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewName() => "role-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<(JsonObject Role, string ETag)> CreateAsync(string? name = null, params string[] permissions)
    {
        var response = await app.Admin().PostAsync(Roles, Http.Json(new { name = name ?? NewName(), description = "for tests", permissions }), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.BodyAsync(), response.Headers.ETag!.Tag);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : Http.Json(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await app.Admin().SendAsync(request, Ct);
    }

    private async Task<JsonObject> FindByNameAsync(string name)
    {
        var page = await (await app.Admin().GetAsync($"{Roles}?limit=100", Ct)).BodyAsync();
        return page["data"]!.AsArray().Single(r => (string?)r!["name"] == name)!.AsObject();
    }

    [Fact]
    public async Task A_role_is_created_listed_and_read_with_its_etag()
    {
        var name = NewName();
        var (role, etag) = await CreateAsync(name, "catalog.write", "catalog.write");
        Assert.Equal(["catalog.write"], role["permissions"]!.AsArray().Select(p => (string)p!));
        Assert.DoesNotContain("concurrencyStamp", role.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        var fetched = await app.Admin().GetAsync($"{Roles}/{role["id"]}", Ct);
        Assert.Equal(etag, fetched.Headers.ETag!.Tag);
        Assert.Equal(name, (string?)(await fetched.BodyAsync())["name"]);
        Assert.Equal((string?)role["id"], (string?)(await FindByNameAsync(name))["id"]);
        Assert.Equal("admin", (string?)(await FindByNameAsync("admin"))["name"]);
    }

    [Fact]
    public async Task Roles_are_paginated()
    {
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync();
        }

        var first = await app.Admin().GetAsync($"{Roles}?limit=2", Ct);
        var page = await first.BodyAsync();
        Assert.Equal(2, page["data"]!.AsArray().Count);
        Assert.True((bool)page["hasMore"]!);
        var second = await (await app.Admin().GetAsync($"{Roles}?limit=2&cursor={page["nextCursor"]}", Ct)).BodyAsync();
        Assert.Empty(second["data"]!.AsArray().Select(r => (string)r!["id"]!).Intersect(page["data"]!.AsArray().Select(r => (string)r!["id"]!)));
        await (await app.Admin().GetAsync($"{Roles}?cursor=xyz", Ct)).ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task Invalid_roles_get_field_errors_and_duplicates_409()
    {
        var bad = await app.Admin().PostAsync(Roles, Http.Json(new { name = "$bad name", permissions = new[] { "catalog.write", "made.up" } }), Ct);
        var errors = (await bad.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED"))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("name"), errors.ToJsonString());
        Assert.Contains("made.up", errors["permissions"]!.ToJsonString(), StringComparison.Ordinal);

        var missing = await app.Admin().PostAsync(Roles, Http.Json(new { description = "no name" }), Ct);
        errors = (await missing.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED"))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("name") && errors.ContainsKey("permissions"), errors.ToJsonString());

        var name = NewName();
        await CreateAsync(name);
        var duplicate = await app.Admin().PostAsync(Roles, Http.Json(new { name = name.ToUpperInvariant(), permissions = Array.Empty<string>() }), Ct);
        await duplicate.ProblemAsync(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task Replacing_permissions_needs_the_current_etag()
    {
        var (role, etag) = await CreateAsync(null, "catalog.write");
        var url = $"{Roles}/{role["id"]}/permissions";

        await (await SendAsync(HttpMethod.Put, url, new { permissions = new[] { "identity.admin" } })).ProblemAsync(HttpStatusCode.PreconditionRequired, "PRECONDITION_REQUIRED");
        await (await SendAsync(HttpMethod.Put, url, new { permissions = new[] { "identity.admin" } }, "\"77\"")).ProblemAsync(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        var unknown = await SendAsync(HttpMethod.Put, url, new { permissions = new[] { "nope" } }, etag);
        Assert.True((await unknown.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED"))["errors"]!.AsObject().ContainsKey("permissions"));

        var ok = await SendAsync(HttpMethod.Put, url, new { permissions = new[] { "identity.admin", "catalog.write" } }, etag);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.NotEqual(etag, ok.Headers.ETag!.Tag);
        Assert.Equal(["catalog.write", "identity.admin"], (await ok.BodyAsync())["permissions"]!.AsArray().Select(p => (string)p!));
        await (await SendAsync(HttpMethod.Put, url, new { permissions = Array.Empty<string>() }, etag)).ProblemAsync(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        await (await SendAsync(HttpMethod.Put, $"{Roles}/65f000000000000000000000/permissions", new { permissions = Array.Empty<string>() }, "*"))
            .ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task The_admin_role_cannot_be_deleted_or_lose_identity_admin()
    {
        var admin = await FindByNameAsync("admin");
        var url = $"{Roles}/{admin["id"]}";
        await (await SendAsync(HttpMethod.Delete, url, ifMatch: "*")).ProblemAsync(HttpStatusCode.Conflict, "CONFLICT");
        await (await SendAsync(HttpMethod.Put, $"{url}/permissions", new { permissions = new[] { "catalog.write" } }, "*"))
            .ProblemAsync(HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync(url, Ct)).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_role_needs_if_match_and_removes_it_from_users()
    {
        var (role, etag) = await CreateAsync(null, "catalog.write");
        var name = (string)role["name"]!;
        var user = await (await app.Admin().PostAsync("/api/v1/identity/users",
            Http.Json(new { email = $"{name}@example.test", password = "Correct-Horse-9", roles = new[] { name, "member" } }), Ct)).BodyAsync();

        var url = $"{Roles}/{role["id"]}";
        await (await SendAsync(HttpMethod.Delete, url)).ProblemAsync(HttpStatusCode.PreconditionRequired, "PRECONDITION_REQUIRED");
        await (await SendAsync(HttpMethod.Delete, url, ifMatch: "\"5\"")).ProblemAsync(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, url, ifMatch: etag)).StatusCode);
        await (await app.Admin().GetAsync(url, Ct)).ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");

        var after = await (await app.Admin().GetAsync($"/api/v1/identity/users/{user["id"]}", Ct)).BodyAsync();
        Assert.Equal(["member"], after["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Contains(app.IdentityEvents.All, e => e is Monolith.Modules.Identity.Contracts.UserRolesChanged c
            && c.UserId == (string)user["id"]! && c.Roles.SequenceEqual(["member"]));
    }

    [Fact]
    public async Task The_roles_api_needs_identity_admin()
    {
        await (await app.Anonymous().GetAsync(Roles, Ct)).ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.As("someone", "catalog.write").GetAsync(Roles, Ct)).ProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await app.As("someone").PostAsync(Roles, Http.Json(new { name = NewName(), permissions = Array.Empty<string>() }), Ct))
            .ProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await app.Admin().GetAsync($"{Roles}/not-an-id", Ct)).ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
