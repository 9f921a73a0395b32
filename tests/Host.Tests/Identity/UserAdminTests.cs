using System.Net;
using System.Text.Json.Nodes;
using Monolith.Host.Tests.Support;
using Monolith.Modules.Identity.Contracts;

namespace Monolith.Host.Tests.Identity;

public sealed class UserAdminTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    private const string Users = "/api/v1/identity/users";
    private const string GoodPassword = "Correct-Horse-9";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewEmail(string name = "user") => $"{name}-{Guid.NewGuid():N}"[..20] + "@example.test";

    private async Task<(JsonObject User, string ETag)> CreateAsync(string? email = null, params string[] roles)
    {
        var response = await app.Admin().PostAsync(Users,
            Http.Json(new { email = email ?? NewEmail(), password = GoodPassword, displayName = "Test User", roles }), Ct);
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

    [Fact]
    public async Task Creating_a_user_returns_it_without_secrets_and_publishes_UserRegistered()
    {
        var email = NewEmail("Created");
        var response = await app.Admin().PostAsync(Users,
            Http.Json(new { email, password = GoodPassword, displayName = "Created User", roles = new[] { "MEMBER" } }), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        foreach (var secret in new[] { "passwordHash", "securityStamp", "concurrencyStamp", GoodPassword })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }

        var user = JsonNode.Parse(text)!.AsObject();
        var id = (string)user["id"]!;
        Assert.Equal(email, (string?)user["email"]);
        Assert.Equal(["member"], user["roles"]!.AsArray().Select(r => (string)r!));
        Assert.False((bool)user["lockedOut"]!);
        Assert.Equal($"\"{user["version"]}\"", response.Headers.ETag!.Tag);
        Assert.EndsWith($"{Users}/{id}", response.Headers.Location!.ToString(), StringComparison.Ordinal);

        var fetched = await app.Admin().GetAsync($"{Users}/{id}", Ct);
        Assert.Equal(response.Headers.ETag, fetched.Headers.ETag);
        Assert.Equal(email, (string?)(await fetched.BodyAsync())["email"]);
        Assert.Contains(app.IdentityEvents.All, e => e is UserRegistered r && r.UserId == id && r.Email == email);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"{Users}/{id}");
        conditional.Headers.IfNoneMatch.Add(fetched.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await app.Admin().SendAsync(conditional, Ct)).StatusCode);
    }

    [Fact]
    public async Task Creating_a_user_with_an_idempotency_key_twice_creates_it_once()
    {
        var body = new { email = NewEmail("idem"), password = GoodPassword };
        async Task<HttpResponseMessage> Post()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Users) { Content = Http.Json(body) };
            request.Headers.Add("Idempotency-Key", "create-" + body.email);
            return await app.Admin().SendAsync(request, Ct);
        }

        var first = await Post();
        var second = await Post();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((string?)(await first.BodyAsync())["id"], (string?)(await second.BodyAsync())["id"]);
    }

    [Fact]
    public async Task Invalid_users_get_field_errors()
    {
        var weak = await app.Admin().PostAsync(Users, Http.Json(new { email = "not-an-email", password = "short", roles = new[] { "no-such-role" } }), Ct);
        var errors = (await weak.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED"))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("email"), errors.ToJsonString());

        var policy = await app.Admin().PostAsync(Users, Http.Json(new { email = NewEmail(), password = "alllowercase", roles = new[] { "no-such-role" } }), Ct);
        errors = (await policy.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED"))["errors"]!.AsObject();
        Assert.True(errors["password"]!.AsArray().Count >= 2, errors.ToJsonString()); // too short, no digit, no upper case
        Assert.Contains("no-such-role", errors["roles"]!.ToJsonString(), StringComparison.Ordinal);

        var missing = await app.Admin().PostAsync(Users, Http.Json(new { displayName = "nobody" }), Ct);
        errors = (await missing.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED"))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("email") && errors.ContainsKey("password"), errors.ToJsonString());

        var unknownField = await app.Admin().PostAsync(Users, Http.Json(new { email = NewEmail(), password = GoodPassword, passwordHash = "x" }), Ct);
        await unknownField.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task A_duplicate_email_is_409_whatever_its_case()
    {
        var email = NewEmail("dup");
        await CreateAsync(email);
        var again = await app.Admin().PostAsync(Users, Http.Json(new { email = email.ToUpperInvariant(), password = GoodPassword }), Ct);
        await again.ProblemAsync(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task Users_are_listed_by_role_and_email_prefix_with_cursor_pagination()
    {
        var prefix = "list" + Guid.NewGuid().ToString("N")[..8];
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((string)(await CreateAsync($"{prefix}-{i}@example.test", "admin")).User["id"]!);
        }

        await CreateAsync($"{prefix}-member@example.test", "member");

        var first = await app.Admin().GetAsync($"{Users}?q={prefix.ToUpperInvariant()}&role=Admin&limit=2", Ct);
        var page = await first.BodyAsync();
        Assert.Equal(created.Take(2), page["data"]!.AsArray().Select(u => (string)u!["id"]!));
        Assert.True((bool)page["hasMore"]!);
        Assert.Contains("rel=\"next\"", first.Headers.GetValues("Link").Single(), StringComparison.Ordinal);

        var second = await (await app.Admin().GetAsync($"{Users}?q={prefix}&role=admin&limit=2&cursor={page["nextCursor"]}", Ct)).BodyAsync();
        Assert.Equal([created[2]], second["data"]!.AsArray().Select(u => (string)u!["id"]!));
        Assert.False((bool)second["hasMore"]!);

        var all = await (await app.Admin().GetAsync($"{Users}?q={prefix}", Ct)).BodyAsync();
        Assert.Equal(4, all["data"]!.AsArray().Count);

        await (await app.Admin().GetAsync($"{Users}?cursor=nope", Ct)).ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await app.Admin().GetAsync($"{Users}?limit=500", Ct)).ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task Replacing_roles_needs_the_current_etag_and_publishes_UserRolesChanged()
    {
        var (user, etag) = await CreateAsync(null, "member");
        var url = $"{Users}/{user["id"]}/roles";

        await (await SendAsync(HttpMethod.Put, url, new { roles = new[] { "admin" } })).ProblemAsync(HttpStatusCode.PreconditionRequired, "PRECONDITION_REQUIRED");
        await (await SendAsync(HttpMethod.Put, url, new { roles = new[] { "admin" } }, "\"999\"")).ProblemAsync(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        var unknown = await SendAsync(HttpMethod.Put, url, new { roles = new[] { "ghost" } }, etag);
        Assert.True((await unknown.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED"))["errors"]!.AsObject().ContainsKey("roles"));

        var ok = await SendAsync(HttpMethod.Put, url, new { roles = new[] { "admin", "member" } }, etag);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.NotEqual(etag, ok.Headers.ETag!.Tag);
        var body = await ok.BodyAsync();
        Assert.Equal(["admin", "member"], body["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Contains(app.IdentityEvents.All, e => e is UserRolesChanged c && c.UserId == (string)user["id"]! && c.Roles.SequenceEqual(["admin", "member"]));

        await (await SendAsync(HttpMethod.Put, url, new { roles = new[] { "member" } }, etag)).ProblemAsync(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        await (await SendAsync(HttpMethod.Put, $"{Users}/65f000000000000000000000/roles", new { roles = Array.Empty<string>() }, "*"))
            .ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Locking_until_a_date_indefinitely_and_unlocking_show_in_the_user()
    {
        var (user, _) = await CreateAsync();
        var url = $"{Users}/{user["id"]}";
        var until = DateTimeOffset.UtcNow.AddDays(1);

        var locked = await (await SendAsync(HttpMethod.Post, $"{url}/lock", new { until })).BodyAsync();
        Assert.True((bool)locked["lockedOut"]!);
        Assert.Equal(until.ToUnixTimeSeconds(), ((DateTimeOffset)locked["lockoutEnd"]!).ToUnixTimeSeconds());
        Assert.True((bool)(await (await app.Admin().GetAsync(url, Ct)).BodyAsync())["lockedOut"]!);

        var forever = await SendAsync(HttpMethod.Post, $"{url}/lock");
        Assert.Equal(HttpStatusCode.OK, forever.StatusCode);
        Assert.Equal(9999, ((DateTimeOffset)(await forever.BodyAsync())["lockoutEnd"]!).Year);

        var unlocked = await (await SendAsync(HttpMethod.Post, $"{url}/unlock")).BodyAsync();
        Assert.False((bool)unlocked["lockedOut"]!);
        Assert.Null(unlocked["lockoutEnd"]);
        Assert.False((bool)(await (await app.Admin().GetAsync(url, Ct)).BodyAsync())["lockedOut"]!);

        var past = await SendAsync(HttpMethod.Post, $"{url}/lock", new { until = DateTimeOffset.UtcNow.AddHours(-1) });
        Assert.True((await past.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED"))["errors"]!.AsObject().ContainsKey("until"));
        await (await SendAsync(HttpMethod.Post, $"{Users}/65f000000000000000000000/lock")).ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Deleting_is_soft_needs_if_match_and_can_be_undone()
    {
        var (user, etag) = await CreateAsync();
        var id = (string)user["id"]!;
        var url = $"{Users}/{id}";

        await (await SendAsync(HttpMethod.Delete, url)).ProblemAsync(HttpStatusCode.PreconditionRequired, "PRECONDITION_REQUIRED");
        await (await SendAsync(HttpMethod.Delete, url, ifMatch: "\"42\"")).ProblemAsync(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, url, ifMatch: etag)).StatusCode);
        await (await app.Admin().GetAsync(url, Ct)).ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");

        var deleted = await (await app.Admin().GetAsync($"{Users}?deleted=true&limit=100", Ct)).BodyAsync();
        Assert.Contains(deleted["data"]!.AsArray(), u => (string?)u!["id"] == id && u["deletedAt"] is not null);
        var live = await (await app.Admin().GetAsync($"{Users}?q={(string)user["email"]!}", Ct)).BodyAsync();
        Assert.Empty(live["data"]!.AsArray());

        var restored = await SendAsync(HttpMethod.Post, $"{url}/restore");
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Null((await restored.BodyAsync())["deletedAt"]);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync(url, Ct)).StatusCode);
        await (await SendAsync(HttpMethod.Post, $"{url}/restore")).ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Administrators_cannot_delete_themselves()
    {
        var (user, etag) = await CreateAsync(null, "admin");
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"{Users}/{user["id"]}");
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        var response = await app.As((string)user["id"]!, IdentityPermissions.Admin).SendAsync(request, Ct);
        await response.ProblemAsync(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task The_users_api_needs_identity_admin()
    {
        await (await app.Anonymous().GetAsync(Users, Ct)).ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.As("someone", "catalog.write").GetAsync(Users, Ct)).ProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await app.As("someone", "catalog.write").PostAsync(Users, Http.Json(new { email = NewEmail(), password = GoodPassword }), Ct))
            .ProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await app.Anonymous().PostAsync($"{Users}/65f000000000000000000000/lock", null, Ct)).ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }
}
