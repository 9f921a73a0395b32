using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.Tokens;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Identity;

/// <summary>The host with the identity module seeded: admin user, the SPA and service clients, API scopes.</summary>
public class OidcApp : CatalogApp
{
    public const string AdminEmail = "admin@monolith.test";
    public const string AdminPassword = "Test-Admin-Passw0rd";
    public const string ServiceSecret = "test-service-secret-0123456789";
    public const string SpaRedirect = "http://localhost:3000/callback";
    public const string SpaPostLogout = "http://localhost:3000/";

    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["Identity:Seed:OnStartup"] = "true",
                ["Identity:Seed:AdminEmail"] = AdminEmail,
                ["Identity:Seed:AdminPassword"] = AdminPassword,
                ["Identity:Seed:ServiceClientSecret"] = ServiceSecret,
                ["Identity:Seed:SpaRedirectUris:0"] = SpaRedirect,
                ["Identity:Seed:SpaPostLogoutRedirectUris:0"] = SpaPostLogout,
                ["Identity:Prune:Enabled"] = "false",
                ["RateLimiting:Policies:identity-login:PermitLimit"] = "1000",
                // Probing tests (e.g. waiting for another instance's revocation) post in a loop as one client; the write
                // limit per caller must not turn a later test's request into a 429.
                ["RateLimiting:Policies:catalog-write:PermitLimit"] = "100000",
            };
            foreach (var (key, value) in ExtraSettings)
            {
                settings[key] = value;
            }

            return settings;
        }
    }

    /// <summary>A browser: keeps cookies, does not follow redirects (the tests follow them by hand).</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public HttpClient Bearer(string accessToken)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public async Task<JsonObject> ClientCredentialsAsync(string scope, string clientId = "monolith-service", string secret = ServiceSecret)
    {
        var response = await CreateClient().PostAsync("/connect/token", Form(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope,
        }));
        var body = await response.BodyAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    public static FormUrlEncodedContent Form(Dictionary<string, string> fields) => new(fields);

    /// <summary>Runs the authorization code flow with PKCE as a browser would, signing in with the given credentials.</summary>
    public async Task<CodeFlow> CodeFlowAsync(string scope = "openid profile email offline_access catalog.write", string email = AdminEmail, string password = AdminPassword)
    {
        var browser = Browser();
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Guid.NewGuid().ToString("N");
        var authorize = "/connect/authorize?" + Query(new()
        {
            ["client_id"] = "monolith-spa", ["response_type"] = "code", ["redirect_uri"] = SpaRedirect, ["scope"] = scope,
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["state"] = state, ["nonce"] = "n-" + state,
        });

        var toLogin = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        Assert.StartsWith("/account/login", PathAndQuery(toLogin.Headers.Location!));

        var loginPage = await browser.GetAsync(PathAndQuery(toLogin.Headers.Location!));
        var html = await loginPage.Content.ReadAsStringAsync();
        var signedIn = await browser.PostAsync("/account/login", Form(new()
        {
            ["__RequestVerificationToken"] = HiddenField(html, "__RequestVerificationToken"),
            ["ReturnUrl"] = WebUtility.HtmlDecode(HiddenField(html, "ReturnUrl")),
            ["username"] = email,
            ["password"] = password,
        }));
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());

        var toClient = await browser.GetAsync(PathAndQuery(signedIn.Headers.Location!));
        Assert.True(toClient.StatusCode == HttpStatusCode.Redirect, await toClient.Content.ReadAsStringAsync());
        var callback = toClient.Headers.Location!;
        Assert.StartsWith(SpaRedirect, callback.ToString());
        var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal(state, parameters["state"].ToString());

        var token = await CreateClient().PostAsync("/connect/token", Form(new()
        {
            ["grant_type"] = "authorization_code", ["client_id"] = "monolith-spa", ["code"] = parameters["code"].ToString(),
            ["redirect_uri"] = SpaRedirect, ["code_verifier"] = verifier,
        }));
        var tokens = await token.BodyAsync();
        Assert.True(token.StatusCode == HttpStatusCode.OK, tokens.ToJsonString());
        return new CodeFlow(browser, parameters["code"].ToString(), verifier, tokens);
    }

    public async Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        await CreateClient().PostAsync("/connect/token", Form(new()
        {
            ["grant_type"] = "refresh_token", ["client_id"] = "monolith-spa", ["refresh_token"] = refreshToken,
        }));

    public static string HiddenField(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"");
        Assert.True(match.Success, $"no hidden field {name} in: {html}");
        return match.Groups[1].Value;
    }

    public static string Query(Dictionary<string, string> values) =>
        string.Join('&', values.Select(v => Uri.EscapeDataString(v.Key) + "=" + Uri.EscapeDataString(v.Value)));

    public static string PathAndQuery(Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}

public sealed record CodeFlow(HttpClient Browser, string Code, string Verifier, JsonObject Tokens)
{
    public string AccessToken => (string)Tokens["access_token"]!;

    public string RefreshToken => (string)Tokens["refresh_token"]!;

    public string IdToken => (string)Tokens["id_token"]!;
}
