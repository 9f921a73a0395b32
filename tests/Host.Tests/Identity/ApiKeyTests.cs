using System.Net;
using System.Text.Json.Nodes;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Identity;

public sealed class ApiKeyTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent NewCategory() =>
        Http.Json(new { name = "Key made", slug = "key-made-" + Guid.NewGuid().ToString("N")[..8] });

    [Fact]
    public async Task A_key_with_the_scope_can_write_to_the_catalog()
    {
        var created = await app.CreateApiKeyAsync("catalog importer", "catalog.write");
        var key = (string)created["key"]!;
        Assert.Matches("^mk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal((string)created["prefix"]!, key.Split('_')[1]);

        var response = await app.WithApiKey(key).PostAsync("/api/v1/catalog/categories", NewCategory(), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_key_without_the_scope_gets_403()
    {
        var key = (string)(await app.CreateApiKeyAsync("reader", "identity.admin"))["key"]!;
        var response = await app.WithApiKey(key).PostAsync("/api/v1/catalog/categories", NewCategory(), Ct);
        await response.ProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task The_key_is_shown_once_and_never_listed()
    {
        var created = await app.CreateApiKeyAsync("shown once", "catalog.write");
        var key = (string)created["key"]!;
        var id = (string)created["id"]!;

        var list = await app.Admin().GetStringAsync("/api/v1/identity/api-keys?limit=100", Ct);
        var single = await app.Admin().GetStringAsync($"/api/v1/identity/api-keys/{id}", Ct);
        foreach (var text in new[] { list, single })
        {
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(key[20..], text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"key\"", text, StringComparison.Ordinal);
            Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        }

        var body = JsonNode.Parse(single)!.AsObject();
        Assert.Equal("shown once", (string?)body["name"]);
        Assert.Equal((string)created["prefix"]!, (string?)body["prefix"]);
        Assert.Equal(["catalog.write"], body["scopes"]!.AsArray().Select(s => (string)s!));
        Assert.Equal("root", (string?)body["createdBy"]);
        Assert.Null(body["revokedAt"]);
        Assert.Contains(JsonNode.Parse(list)!["data"]!.AsArray(), k => (string?)k!["id"] == id);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_even_when_it_was_just_used()
    {
        var created = await app.CreateApiKeyAsync("to revoke", "catalog.write");
        var client = app.WithApiKey((string)created["key"]!);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/catalog/categories", NewCategory(), Ct)).StatusCode);

        var revoke = await app.Admin().DeleteAsync($"/api/v1/identity/api-keys/{created["id"]}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        var refused = await client.PostAsync("/api/v1/catalog/categories", NewCategory(), Ct);
        await refused.ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("ApiKey", refused.Headers.WwwAuthenticate.Single().Scheme);

        var listed = await (await app.Admin().GetAsync($"/api/v1/identity/api-keys/{created["id"]}", Ct)).BodyAsync();
        Assert.NotNull((string?)listed["revokedAt"]);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Admin().DeleteAsync($"/api/v1/identity/api-keys/{created["id"]}", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("mk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // well-formed, unknown
    [InlineData("not-a-key")]
    [InlineData("mk_0123456789ABCDEF_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("mk_0123456789abcdef_AAAA")]
    public async Task Unknown_and_malformed_keys_get_401(string key)
    {
        var response = await app.WithApiKey(key).PostAsync("/api/v1/catalog/categories", NewCategory(), Ct);
        await response.ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("ApiKey", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_key_with_the_right_prefix_but_a_wrong_secret_gets_401()
    {
        var key = (string)(await app.CreateApiKeyAsync("tampered", "catalog.write"))["key"]!;
        var tampered = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');
        var response = await app.WithApiKey(tampered).PostAsync("/api/v1/catalog/categories", NewCategory(), Ct);
        await response.ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task An_authorization_header_takes_precedence_over_an_api_key()
    {
        var client = app.Admin();
        client.DefaultRequestHeaders.Add("X-Api-Key", "mk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        var me = await (await client.GetAsync("/api/v1/identity/me", Ct)).BodyAsync();
        Assert.Equal("root", (string?)me["subject"]);
    }

    [Fact]
    public async Task Creating_a_key_validates_name_scopes_and_expiry()
    {
        var response = await app.Admin().PostAsync("/api/v1/identity/api-keys",
            Http.Json(new { name = "", scopes = new[] { "catalog.write", "no.such.scope" }, expiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) }), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("name"), problem.ToJsonString());
        Assert.Contains("no.such.scope", errors["scopes"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.True(errors.ContainsKey("expiresAt"), problem.ToJsonString());

        var noScopes = await app.Admin().PostAsync("/api/v1/identity/api-keys", Http.Json(new { name = "x", scopes = Array.Empty<string>() }), Ct);
        Assert.True((await noScopes.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED"))["errors"]!.AsObject().ContainsKey("scopes"));
    }

    [Fact]
    public async Task The_admin_api_needs_identity_admin()
    {
        await (await app.Anonymous().GetAsync("/api/v1/identity/api-keys", Ct)).ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.As("someone", "catalog.write").GetAsync("/api/v1/identity/api-keys", Ct)).ProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await app.As("someone", "catalog.write").PostAsync("/api/v1/identity/api-keys", Http.Json(new { name = "x", scopes = new[] { "catalog.write" } }), Ct))
            .ProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");

        var adminKey = (string)(await app.CreateApiKeyAsync("automation", "identity.admin"))["key"]!;
        Assert.Equal(HttpStatusCode.OK, (await app.WithApiKey(adminKey).GetAsync("/api/v1/identity/api-keys", Ct)).StatusCode);
    }

    [Fact]
    public async Task Unknown_ids_are_404()
    {
        await (await app.Admin().GetAsync("/api/v1/identity/api-keys/65f000000000000000000000", Ct)).ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await app.Admin().GetAsync("/api/v1/identity/api-keys/not-an-id", Ct)).ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await app.Admin().DeleteAsync("/api/v1/identity/api-keys/65f000000000000000000000", Ct)).ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task The_list_is_paginated_newest_first()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((string)(await app.CreateApiKeyAsync($"page {i}", "catalog.write"))["id"]!);
        }

        var first = await app.Admin().GetAsync("/api/v1/identity/api-keys?limit=2", Ct);
        var page = await first.BodyAsync();
        Assert.Equal([ids[2], ids[1]], page["data"]!.AsArray().Select(k => (string)k!["id"]!));
        Assert.True((bool)page["hasMore"]!);
        Assert.Contains("rel=\"next\"", first.Headers.GetValues("Link").Single(), StringComparison.Ordinal);

        var second = await (await app.Admin().GetAsync($"/api/v1/identity/api-keys?limit=2&cursor={page["nextCursor"]}", Ct)).BodyAsync();
        Assert.Equal(ids[0], (string?)second["data"]![0]!["id"]);

        await (await app.Admin().GetAsync("/api/v1/identity/api-keys?cursor=garbage", Ct)).ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await app.Admin().GetAsync("/api/v1/identity/api-keys?limit=0", Ct)).ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task Keys_never_appear_in_logs()
    {
        var key = (string)(await app.CreateApiKeyAsync("quiet", "catalog.write"))["key"]!;
        await app.WithApiKey(key).PostAsync("/api/v1/catalog/categories", NewCategory(), Ct);
        await app.WithApiKey(key + "x").PostAsync("/api/v1/catalog/categories", NewCategory(), Ct);
        await app.WithApiKey(key[..^1] + "_").PostAsync("/api/v1/catalog/categories", NewCategory(), Ct);

        var logs = app.Logs.Text();
        Assert.Contains("rejected", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(key[20..], logs, StringComparison.Ordinal);
    }
}

/// <summary>Tests that move the clock get their own host, so other tests never see a shifted time.</summary>
public sealed class ApiKeyClockTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_expired_key_gets_401()
    {
        var created = await app.CreateApiKeyAsync(new { name = "short-lived", scopes = new[] { "identity.admin" }, expiresAt = app.Clock.GetUtcNow().AddHours(1) });
        var client = app.WithApiKey((string)created["key"]!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/identity/api-keys", Ct)).StatusCode);

        app.Clock.Offset = TimeSpan.FromHours(2);
        try
        {
            var refused = await client.GetAsync("/api/v1/identity/api-keys", Ct);
            await refused.ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            Assert.Equal("ApiKey", refused.Headers.WwwAuthenticate.Single().Scheme);
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Last_use_is_written_at_most_once_a_minute()
    {
        var created = await app.CreateApiKeyAsync("usage", "identity.admin");
        var client = app.WithApiKey((string)created["key"]!);
        var url = $"/api/v1/identity/api-keys/{created["id"]}";
        try
        {
            var first = (DateTimeOffset)(await (await client.GetAsync(url, Ct)).BodyAsync())["lastUsedAt"]!;

            app.Clock.Offset = TimeSpan.FromSeconds(30);
            var within = (DateTimeOffset)(await (await client.GetAsync(url, Ct)).BodyAsync())["lastUsedAt"]!;
            Assert.Equal(first, within);

            app.Clock.Offset = TimeSpan.FromSeconds(90);
            await client.GetAsync(url, Ct);
            var after = (DateTimeOffset)(await (await app.Admin().GetAsync(url, Ct)).BodyAsync())["lastUsedAt"]!;
            Assert.True(after >= first.AddSeconds(60), $"{first:O} -> {after:O}");
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }
}
