using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Monolith.Host.Tests.Identity;

/// <summary>Explicit consent for third-party clients: asked once, remembered as a permanent authorization; denial honoured.</summary>
public sealed class OidcConsentTests(OidcApp app) : IClassFixture<OidcApp>
{
    private const string Redirect = "https://third-party.example/cb";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    private async Task<string> ThirdPartyClientAsync()
    {
        var clientId = "third-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId, ClientType = ClientTypes.Public, ConsentType = ConsentTypes.Explicit, DisplayName = "Third Party",
            RedirectUris = { new Uri(Redirect) },
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code, Permissions.Prefixes.Scope + "catalog.read",
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        }, ct);
        return clientId;
    }

    private static string Authorize(string clientId) => "/connect/authorize?" + OidcApp.Query(new()
    {
        ["client_id"] = clientId, ["response_type"] = "code", ["redirect_uri"] = Redirect, ["scope"] = "openid catalog.read", ["state"] = "st",
        ["code_challenge"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(new string('v', 50)))), ["code_challenge_method"] = "S256",
    });

    private async Task<HttpClient> SignedInBrowserAsync()
    {
        var browser = app.Browser();
        var page = await browser.GetAsync("/account/login", ct);
        var token = OidcApp.HiddenField(await page.Content.ReadAsStringAsync(ct), "__RequestVerificationToken");
        var login = await browser.PostAsync("/account/login", OidcApp.Form(new()
        {
            ["__RequestVerificationToken"] = token, ["ReturnUrl"] = "/", ["username"] = OidcApp.AdminEmail, ["password"] = OidcApp.AdminPassword,
        }), ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return browser;
    }

    private async Task<HttpResponseMessage> DecideAsync(HttpClient browser, string consentHtml, string decision)
    {
        var fields = System.Text.RegularExpressions.Regex.Matches(consentHtml, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")
            .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value)))
            .Append(new("decision", decision));
        return await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(fields), ct);
    }

    [Fact]
    public async Task A_third_party_client_asks_for_consent_once_and_then_remembers_it()
    {
        var clientId = await ThirdPartyClientAsync();
        var browser = await SignedInBrowserAsync();

        var consent = await browser.GetAsync(Authorize(clientId), ct);
        var html = await consent.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        Assert.Contains("Third Party", html);
        Assert.Contains("catalog.read", html);

        var accepted = await DecideAsync(browser, html, "accept");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.StartsWith(Redirect + "?code=", accepted.Headers.Location!.ToString());

        var again = await browser.GetAsync(Authorize(clientId), ct);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.StartsWith(Redirect + "?code=", again.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Denying_consent_returns_access_denied_to_the_client()
    {
        var clientId = await ThirdPartyClientAsync();
        var browser = await SignedInBrowserAsync();
        var html = await (await browser.GetAsync(Authorize(clientId), ct)).Content.ReadAsStringAsync(ct);

        var denied = await DecideAsync(browser, html, "deny");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("error=access_denied", denied.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_consent_post_without_the_antiforgery_token_is_refused()
    {
        var clientId = await ThirdPartyClientAsync();
        var browser = await SignedInBrowserAsync();
        var html = await (await browser.GetAsync(Authorize(clientId), ct)).Content.ReadAsStringAsync(ct);
        var forged = System.Text.RegularExpressions.Regex.Replace(html, "name=\"__RequestVerificationToken\" value=\"[^\"]*\"", "name=\"__RequestVerificationToken\" value=\"x\"");

        var response = await DecideAsync(browser, forged, "accept");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
