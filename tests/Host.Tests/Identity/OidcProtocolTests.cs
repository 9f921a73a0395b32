using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Identity;

/// <summary>The protocol's edges: PKCE rules, refresh rotation and replay, userinfo, introspection, revocation, end session.</summary>
public sealed class OidcProtocolTests(OidcApp app) : IClassFixture<OidcApp>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    private static string Authorize(Dictionary<string, string> extra)
    {
        var query = new Dictionary<string, string>
        {
            ["client_id"] = "monolith-spa", ["response_type"] = "code", ["redirect_uri"] = OidcApp.SpaRedirect, ["scope"] = "openid", ["state"] = "s1",
        };
        foreach (var (k, v) in extra)
        {
            query[k] = v;
        }

        return "/connect/authorize?" + OidcApp.Query(query);
    }

    [Fact]
    public async Task An_authorization_request_with_the_plain_challenge_method_is_rejected()
    {
        var response = await app.Browser().GetAsync(Authorize(new() { ["code_challenge"] = new string('a', 43), ["code_challenge_method"] = "plain" }), ct);
        await AssertErrorRedirect(response, "invalid_request");
    }

    [Fact]
    public async Task An_authorization_request_without_PKCE_is_rejected()
    {
        var response = await app.Browser().GetAsync(Authorize([]), ct);
        await AssertErrorRedirect(response, "invalid_request");
    }

    [Fact]
    public async Task A_code_exchanged_with_the_wrong_verifier_is_refused()
    {
        var flow = await app.CodeFlowAsync();
        // The code was redeemed by the helper; a second exchange (with any verifier) must fail too.
        var again = await app.CreateClient().PostAsync("/connect/token", OidcApp.Form(new()
        {
            ["grant_type"] = "authorization_code", ["client_id"] = "monolith-spa", ["code"] = flow.Code,
            ["redirect_uri"] = OidcApp.SpaRedirect, ["code_verifier"] = flow.Verifier,
        }), ct);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("invalid_grant", (string?)(await again.BodyAsync())["error"]);
    }

    [Fact]
    public async Task Refreshing_rotates_the_refresh_token_and_reuse_revokes_the_whole_family()
    {
        var flow = await app.CodeFlowAsync();
        var first = await app.RefreshAsync(flow.RefreshToken);
        var rotated = await first.BodyAsync();
        Assert.True(first.StatusCode == HttpStatusCode.OK, rotated.ToJsonString());
        var newer = (string)rotated["refresh_token"]!;
        Assert.NotEqual(flow.RefreshToken, newer);

        var replay = await app.RefreshAsync(flow.RefreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (string?)(await replay.BodyAsync())["error"]);

        // The replay revoked the family: the newer refresh token and the access tokens are dead too.
        var afterReplay = await app.RefreshAsync(newer);
        Assert.Equal(HttpStatusCode.BadRequest, afterReplay.StatusCode);
        Assert.Equal("invalid_grant", (string?)(await afterReplay.BodyAsync())["error"]);
        var api = await app.Bearer((string)rotated["access_token"]!).GetAsync("/connect/userinfo", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Userinfo_returns_the_claims_the_scopes_allow()
    {
        var full = await app.CodeFlowAsync("openid profile email");
        var info = await (await app.Bearer(full.AccessToken).GetAsync("/connect/userinfo", ct)).BodyAsync();
        Assert.False(string.IsNullOrEmpty((string?)info["sub"]));
        Assert.Equal(OidcApp.AdminEmail, (string?)info["email"]);
        Assert.Equal("Administrator", (string?)info["name"]);

        var narrow = await app.CodeFlowAsync("openid");
        var little = await (await app.Bearer(narrow.AccessToken).GetAsync("/connect/userinfo", ct)).BodyAsync();
        Assert.Equal((string?)info["sub"], (string?)little["sub"]);
        Assert.Null(little["email"]);
        Assert.Null(little["name"]);

        var anonymous = await app.CreateClient().GetAsync("/connect/userinfo", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Introspection_reports_active_tokens_and_inactive_ones_after_revocation()
    {
        var token = (string)(await app.ClientCredentialsAsync("catalog.write"))["access_token"]!;
        var before = await app.Bearer(token).PostAsync("/api/v1/catalog/products", Http.Json("{}"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, before.StatusCode); // authorized; the empty product is invalid
        var active = await Introspect(token);
        Assert.True((bool)active["active"]!);
        Assert.Equal("monolith-service", (string?)active["client_id"]);
        Assert.Equal("monolith-service", (string?)active["sub"]);

        var revoke = await app.CreateClient().PostAsync("/connect/revoke", OidcApp.Form(new()
        {
            ["client_id"] = "monolith-service", ["client_secret"] = OidcApp.ServiceSecret, ["token"] = token, ["token_type_hint"] = "access_token",
        }), ct);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        Assert.False((bool)(await Introspect(token))["active"]!);
        var api = await app.Bearer(token).PostAsync("/api/v1/catalog/products", Http.Json("{}"), ct);
        await api.ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        var wrongSecret = await app.CreateClient().PostAsync("/connect/introspect", OidcApp.Form(new()
        {
            ["client_id"] = "monolith-service", ["client_secret"] = "wrong", ["token"] = token,
        }), ct);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Equal("invalid_client", (string?)(await wrongSecret.BodyAsync())["error"]);
    }

    [Fact]
    public async Task A_public_client_revokes_its_refresh_token()
    {
        var flow = await app.CodeFlowAsync();
        var revoke = await app.CreateClient().PostAsync("/connect/revoke", OidcApp.Form(new()
        {
            ["client_id"] = "monolith-spa", ["token"] = flow.RefreshToken, ["token_type_hint"] = "refresh_token",
        }), ct);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var refresh = await app.RefreshAsync(flow.RefreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("invalid_grant", (string?)(await refresh.BodyAsync())["error"]);
    }

    [Fact]
    public async Task End_session_signs_out_and_redirects_to_the_registered_post_logout_uri_only()
    {
        var flow = await app.CodeFlowAsync();
        var bad = await flow.Browser.GetAsync("/connect/endsession?" + OidcApp.Query(new()
        {
            ["id_token_hint"] = flow.IdToken, ["post_logout_redirect_uri"] = "https://evil.example/",
        }), ct);
        Assert.NotEqual(HttpStatusCode.Redirect, bad.StatusCode);

        var end = await flow.Browser.GetAsync("/connect/endsession?" + OidcApp.Query(new()
        {
            ["id_token_hint"] = flow.IdToken, ["post_logout_redirect_uri"] = OidcApp.SpaPostLogout, ["state"] = "bye",
        }), ct);
        Assert.Equal(HttpStatusCode.Redirect, end.StatusCode);
        Assert.StartsWith(OidcApp.SpaPostLogout, end.Headers.Location!.ToString());

        // The cookie is gone: authorizing again sends the browser to the login page.
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var again = await flow.Browser.GetAsync(Authorize(new()
        {
            ["code_challenge"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))), ["code_challenge_method"] = "S256",
        }), ct);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.StartsWith("/account/login", OidcApp.PathAndQuery(again.Headers.Location!));
    }

    private async Task<System.Text.Json.Nodes.JsonObject> Introspect(string token)
    {
        var response = await app.CreateClient().PostAsync("/connect/introspect", OidcApp.Form(new()
        {
            ["client_id"] = "monolith-service", ["client_secret"] = OidcApp.ServiceSecret, ["token"] = token,
        }), ct);
        var body = await response.BodyAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private static async Task AssertErrorRedirect(HttpResponseMessage response, string error)
    {
        // Errors about a known client and redirect URI go back to the client; OpenIddict renders the rest itself.
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(response.Headers.Location!.Query);
            Assert.Equal(error, query["error"].ToString());
            return;
        }

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        Assert.Contains(error, text, StringComparison.Ordinal);
    }
}

/// <summary><c>Identity:RefreshTokenReuseLeeway</c> is honoured: within it, a concurrent reuse is not a replay.</summary>
public sealed class OidcRefreshLeewayTests(OidcRefreshLeewayTests.App app) : IClassFixture<OidcRefreshLeewayTests.App>
{
    public sealed class App : OidcApp
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Identity:RefreshTokenReuseLeeway"] = "00:05:00",
        };
    }

    [Fact]
    public async Task Within_the_configured_leeway_a_redeemed_refresh_token_still_works()
    {
        var flow = await app.CodeFlowAsync();
        var first = await app.RefreshAsync(flow.RefreshToken);
        var again = await app.RefreshAsync(flow.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }
}
