using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MongoDB.Driver;
using Monolith.Host.Tests.Support;
using Monolith.Modules.Identity.Domain;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Validation;

namespace Monolith.Host.Tests.Identity;

/// <summary>Bearer tokens on the API: 401 vs 403 in the platform's error shape, forged and stale tokens refused.</summary>
public sealed class OidcApiAuthTests(OidcApp app) : IClassFixture<OidcApp>
{
    private const string Products = "/api/v1/catalog/products";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    private static StringContent NewProduct() => Http.Json(new
    {
        sku = "OIDC-" + Guid.NewGuid().ToString("N")[..10], name = "Token-made", price = new { amount = 10m, currency = "EUR" }, stock = 1,
    });

    [Fact]
    public async Task A_user_token_with_catalog_write_creates_a_product()
    {
        var flow = await app.CodeFlowAsync("openid catalog.write");
        var response = await app.Bearer(flow.AccessToken).PostAsync(Products, NewProduct(), ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task No_token_or_a_garbage_token_is_401_with_a_bearer_challenge_in_the_error_shape()
    {
        var anonymous = await app.CreateClient().PostAsync(Products, NewProduct(), ct);
        await anonymous.ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());

        var garbage = await app.Bearer("not-a-token").PostAsync(Products, NewProduct(), ct);
        await garbage.ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.StartsWith("Bearer", garbage.Headers.WwwAuthenticate.ToString());
        Assert.Contains("invalid_token", garbage.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_valid_token_without_the_permission_is_403_in_the_error_shape()
    {
        var readOnly = (string)(await app.ClientCredentialsAsync("catalog.read"))["access_token"]!;
        var response = await app.Bearer(readOnly).PostAsync(Products, NewProduct(), ct);
        await response.ProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task A_user_without_the_role_permission_gets_no_permission_claim_even_when_the_scope_is_granted()
    {
        var email = $"member-{Guid.NewGuid():N}@monolith.test";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var user = new User { UserName = email, Email = email, EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, "Member-Passw0rd")).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, "member")).Succeeded);
        }

        var flow = await app.CodeFlowAsync("openid catalog.write", email, "Member-Passw0rd");
        Assert.DoesNotContain(new JsonWebToken(flow.AccessToken).Claims, c => c.Type == "permission");
        var response = await app.Bearer(flow.AccessToken).PostAsync(Products, NewProduct(), ct);
        await response.ProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Tokens_signed_by_an_unknown_key_for_another_audience_or_expired_are_401()
    {
        var issuer = (string)(await (await app.CreateClient().GetAsync("/.well-known/openid-configuration", ct)).BodyAsync())["issuer"]!;
        var serverKey = app.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue.SigningCredentials[0];
        var strangerKey = new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "stranger" }, SecurityAlgorithms.RsaSha256);

        // The control: a token we forge with the server's own key, right issuer and audience, is accepted...
        var control = Forge(serverKey, issuer, "monolith-api", DateTime.UtcNow.AddMinutes(5));
        var accepted = await app.Bearer(control).PostAsync(Products, NewProduct(), ct);
        Assert.True(accepted.StatusCode == HttpStatusCode.Created, await accepted.Content.ReadAsStringAsync(ct));

        // ...so each of these is refused for the one thing that differs.
        foreach (var (what, token) in new[]
        {
            ("unknown key", Forge(strangerKey, issuer, "monolith-api", DateTime.UtcNow.AddMinutes(5))),
            ("wrong audience", Forge(serverKey, issuer, "another-api", DateTime.UtcNow.AddMinutes(5))),
            ("expired", Forge(serverKey, issuer, "monolith-api", DateTime.UtcNow.AddMinutes(-1))),
            ("wrong issuer", Forge(serverKey, "https://evil.example/", "monolith-api", DateTime.UtcNow.AddMinutes(5))),
        })
        {
            var response = await app.Bearer(token).PostAsync(Products, NewProduct(), ct);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {response.StatusCode}");
            await response.ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }
    }

    /// <summary>
    /// GHSA-cxgj-hwwh-855g (OpenIddict &lt; 7.9): without token entry validation, the validation stack did not apply
    /// authorization entry validation. Revoking the authorization (not the token) must still refuse the token at once.
    /// See docs/adr/0015-openiddict-7-8-advisory.md; do not remove EnableTokenEntryValidation while on 7.8.
    /// </summary>
    [Fact]
    public async Task A_token_whose_authorization_was_revoked_is_refused_at_once_GHSA_cxgj_hwwh_855g()
    {
        var options = app.Services.GetRequiredService<IOptionsMonitor<OpenIddictValidationOptions>>().CurrentValue;
        Assert.True(options.EnableTokenEntryValidation, "token entry validation is the advisory's mitigation");
        Assert.True(options.EnableAuthorizationEntryValidation);

        var flow = await app.CodeFlowAsync("openid catalog.write");
        var before = await app.Bearer(flow.AccessToken).PostAsync(Products, NewProduct(), ct);
        Assert.Equal(HttpStatusCode.Created, before.StatusCode);

        var authorizationId = new JsonWebToken(flow.AccessToken).GetClaim("oi_au_id").Value;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var authorizations = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
            var authorization = await authorizations.FindByIdAsync(authorizationId, ct);
            Assert.True(await authorizations.TryRevokeAsync(authorization!, ct));
        }

        var after = await app.Bearer(flow.AccessToken).PostAsync(Products, NewProduct(), ct);
        await after.ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Idempotency_keys_belong_to_the_token_subject_so_two_callers_never_share_a_replay()
    {
        var user = await app.CodeFlowAsync("openid catalog.write");
        var service = (string)(await app.ClientCredentialsAsync("catalog.write"))["access_token"]!;
        var key = "shared-key-" + Guid.NewGuid().ToString("N");

        async Task<HttpResponseMessage> Post(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Products) { Content = NewProduct() };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Idempotency-Key", key);
            return await app.CreateClient().SendAsync(request, ct);
        }

        var first = await Post(user.AccessToken);
        var second = await Post(service);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual((string?)(await first.BodyAsync())["id"], (string?)(await second.BodyAsync())["id"]);
    }

    /// <summary>Another instance's revocation (a write this process did not make) is seen within the entry cache's 1 s.</summary>
    [Fact]
    public async Task A_revocation_written_by_another_instance_is_seen_within_the_entry_cache_duration()
    {
        var token = (string)(await app.ClientCredentialsAsync("catalog.write"))["access_token"]!;
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Bearer(token).PostAsync(Products, Http.Json("{}"), ct)).StatusCode);

        var tokenId = new JsonWebToken(token).GetClaim("oi_tkn_id").Value;
        await app.Database.GetCollection<MongoDB.Bson.BsonDocument>("identity.tokens").UpdateOneAsync(
            new MongoDB.Bson.BsonDocument("_id", MongoDB.Bson.ObjectId.Parse(tokenId)),
            new MongoDB.Bson.BsonDocument("$set", new MongoDB.Bson.BsonDocument("status", "revoked")), cancellationToken: ct);

        var revokedAt = DateTime.UtcNow;
        HttpStatusCode status;
        do
        {
            status = (await app.Bearer(token).PostAsync(Products, Http.Json("{}"), ct)).StatusCode;
            Assert.True(DateTime.UtcNow - revokedAt < TimeSpan.FromSeconds(10), "the revocation was not seen within 10 s");
        }
        while (status != HttpStatusCode.Unauthorized);

        Assert.True(DateTime.UtcNow - revokedAt < TimeSpan.FromSeconds(5), $"seen after {DateTime.UtcNow - revokedAt}");
    }

    private static string Forge(SigningCredentials key, string issuer, string audience, DateTime expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires.AddMinutes(-10),
            NotBefore = expires.AddMinutes(-10),
            Expires = expires,
            TokenType = "at+jwt",
            SigningCredentials = key,
            Subject = new ClaimsIdentity([new Claim("sub", "forger"), new Claim("permission", "catalog.write"), new Claim("scope", "catalog.write")]),
        });
}
