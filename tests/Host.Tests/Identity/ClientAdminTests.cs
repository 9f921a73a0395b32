using System.Net;
using MongoDB.Driver;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Identity;

/// <summary><c>/api/v1/identity/clients</c>: create (secret shown once), list, rotate, delete; identity.admin only.</summary>
public sealed class ClientAdminTests(OidcApp app) : IClassFixture<OidcApp>
{
    private const string Clients = "/api/v1/identity/clients";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    private HttpClient Admin => app.As("root", "identity.admin");

    private static object Confidential(string clientId) => new
    {
        clientId, displayName = "Reports job", type = "confidential", grantTypes = new[] { "client_credentials" }, scopes = new[] { "catalog.read" },
    };

    private async Task<HttpResponseMessage> TokenAsync(string clientId, string secret) =>
        await app.CreateClient().PostAsync("/connect/token", OidcApp.Form(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = "catalog.read",
        }), ct);

    [Fact]
    public async Task A_confidential_client_gets_its_secret_once_and_can_use_it()
    {
        var clientId = "reports-" + Guid.NewGuid().ToString("N")[..8];
        var created = await Admin.PostAsync(Clients, Http.Json(Confidential(clientId)), ct);
        var body = await created.BodyAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        Assert.Equal($"/api/v1/identity/clients/{clientId}", created.Headers.Location!.OriginalString);
        var secret = (string)body["clientSecret"]!;
        Assert.True(secret.Length >= 40);
        Assert.Equal("confidential", (string?)body["client"]!["type"]);

        var fetched = await (await Admin.GetAsync($"{Clients}/{clientId}", ct)).Content.ReadAsStringAsync(ct);
        Assert.DoesNotContain(secret, fetched, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", fetched, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(clientId, secret)).StatusCode);
        var raw = await app.Database.GetCollection<MongoDB.Bson.BsonDocument>("identity.applications")
            .Find(new MongoDB.Bson.BsonDocument("clientId", clientId)).FirstAsync(ct);
        Assert.NotEqual(secret, raw["clientSecret"].AsString); // stored hashed
    }

    [Fact]
    public async Task Rotating_the_secret_stops_the_old_one_at_once()
    {
        var clientId = "rotate-" + Guid.NewGuid().ToString("N")[..8];
        var old = (string)(await (await Admin.PostAsync(Clients, Http.Json(Confidential(clientId)), ct)).BodyAsync())["clientSecret"]!;
        var rotated = await Admin.PostAsync($"{Clients}/{clientId}/secret", null, ct);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var fresh = (string)(await rotated.BodyAsync())["clientSecret"]!;
        Assert.NotEqual(old, fresh);

        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(clientId, old)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(clientId, fresh)).StatusCode);

        var publicRotate = await Admin.PostAsync($"{Clients}/monolith-spa/secret", null, ct);
        await publicRotate.ProblemAsync(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task Deleting_a_client_refuses_its_next_token_request_and_its_tokens()
    {
        var clientId = "gone-" + Guid.NewGuid().ToString("N")[..8];
        var secret = (string)(await (await Admin.PostAsync(Clients, Http.Json(Confidential(clientId)), ct)).BodyAsync())["clientSecret"]!;
        var token = (string)(await (await TokenAsync(clientId, secret)).BodyAsync())["access_token"]!;

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"{Clients}/{clientId}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(clientId, secret)).StatusCode);
        var api = await app.Bearer(token).PostAsync("/api/v1/catalog/products", Http.Json("{}"), ct); // 403 if the token still counted
        await api.ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await Admin.DeleteAsync($"{Clients}/{clientId}", ct)).ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task The_list_pages_with_a_cursor_through_every_client()
    {
        for (var i = 0; i < 3; i++)
        {
            await Admin.PostAsync(Clients, Http.Json(Confidential($"page-{i}-{Guid.NewGuid():N}"[..20])), ct);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var response = await Admin.GetAsync($"{Clients}?limit=2" + (cursor is null ? "" : "&cursor=" + cursor), ct);
            var page = await response.BodyAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.AddRange(page["data"]!.AsArray().Select(c => (string)c!["clientId"]!));
            cursor = (string?)page["nextCursor"];
            Assert.Equal(cursor is not null, response.Headers.Contains("Link"));
        }
        while (cursor is not null);

        Assert.Contains("monolith-spa", seen);
        Assert.Contains("monolith-service", seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(seen.Count >= 5);
        await (await Admin.GetAsync($"{Clients}?cursor=garbage", ct)).ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task Invalid_or_duplicate_clients_are_refused()
    {
        var bad = new object[]
        {
            new { clientId = "X", type = "confidential", grantTypes = new[] { "client_credentials" } },
            new { clientId = "pub-cc", type = "public", grantTypes = new[] { "client_credentials" } },
            new { clientId = "implicit-one", type = "public", grantTypes = new[] { "implicit" } },
            new { clientId = "http-one", type = "public", grantTypes = new[] { "authorization_code" }, redirectUris = new[] { "http://app.example/cb" } },
            new { clientId = "no-redirect", type = "public", grantTypes = new[] { "authorization_code" } },
            new { clientId = "scope-one", type = "confidential", grantTypes = new[] { "client_credentials" }, scopes = new[] { "root.everything" } },
        };
        foreach (var body in bad)
        {
            var response = await Admin.PostAsync(Clients, Http.Json(body), ct);
            await response.ProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        }

        var duplicate = await Admin.PostAsync(Clients, Http.Json(Confidential("monolith-service")), ct);
        await duplicate.ProblemAsync(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task Only_identity_admins_manage_clients()
    {
        await (await app.CreateClient().GetAsync(Clients, ct)).ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.As("bob", "catalog.write").GetAsync(Clients, ct)).ProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        var serviceToken = (string)(await app.ClientCredentialsAsync("catalog.write"))["access_token"]!;
        await (await app.Bearer(serviceToken).PostAsync(Clients, Http.Json(Confidential("sneaky-one")), ct)).ProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");

        var adminToken = (string)(await app.ClientCredentialsAsync("identity.admin"))["access_token"]!;
        Assert.Equal(HttpStatusCode.OK, (await app.Bearer(adminToken).GetAsync(Clients, ct)).StatusCode);
    }
}
