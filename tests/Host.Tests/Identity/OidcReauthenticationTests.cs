using System.Net;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Identity;

/// <summary>
/// OIDC's prompt=login and max_age: a browser that is already signed in is sent back to the login page, and once it
/// signs in again the same authorization request completes (without looping back to the login page).
/// </summary>
public sealed class OidcReauthenticationTests(OidcApp app) : IClassFixture<OidcApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Authorize(params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string>
        {
            ["client_id"] = "monolith-spa", ["response_type"] = "code", ["redirect_uri"] = OidcApp.SpaRedirect, ["scope"] = "openid",
            ["code_challenge"] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", ["code_challenge_method"] = "S256", ["state"] = "s1",
        };
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        return "/connect/authorize?" + OidcApp.Query(values);
    }

    [Fact]
    public async Task A_signed_in_browser_goes_straight_back_to_the_client_without_prompt()
    {
        var flow = await app.CodeFlowAsync("openid");
        var response = await flow.Browser.GetAsync(Authorize(("max_age", "3600")), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(OidcApp.SpaRedirect, response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("prompt", "login")]
    [InlineData("max_age", "0")]
    public async Task A_signed_in_browser_must_sign_in_again_and_then_the_request_completes(string parameter, string value)
    {
        var flow = await app.CodeFlowAsync("openid");
        var toLogin = await flow.Browser.GetAsync(Authorize((parameter, value)), Ct);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        Assert.StartsWith("/account/login", OidcApp.PathAndQuery(toLogin.Headers.Location!));

        var page = await (await flow.Browser.GetAsync(OidcApp.PathAndQuery(toLogin.Headers.Location!), Ct)).Content.ReadAsStringAsync(Ct);
        var returnUrl = WebUtility.HtmlDecode(OidcApp.HiddenField(page, "ReturnUrl"));
        Assert.DoesNotContain("prompt=login", returnUrl, StringComparison.Ordinal);
        Assert.DoesNotContain("max_age", returnUrl, StringComparison.Ordinal);
        var signedIn = await flow.Browser.PostAsync("/account/login", OidcApp.Form(new()
        {
            ["__RequestVerificationToken"] = OidcApp.HiddenField(page, "__RequestVerificationToken"),
            ["ReturnUrl"] = returnUrl,
            ["username"] = OidcApp.AdminEmail,
            ["password"] = OidcApp.AdminPassword,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var toClient = await flow.Browser.GetAsync(OidcApp.PathAndQuery(signedIn.Headers.Location!), Ct);
        Assert.Equal(HttpStatusCode.Redirect, toClient.StatusCode);
        Assert.StartsWith(OidcApp.SpaRedirect, toClient.Headers.Location!.ToString());
        Assert.Contains("code=", toClient.Headers.Location!.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompt_none_with_an_exceeded_max_age_is_refused_with_login_required()
    {
        var flow = await app.CodeFlowAsync("openid");
        var response = await flow.Browser.GetAsync(Authorize(("prompt", "none"), ("max_age", "0")), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("error=login_required", response.Headers.Location!.Query, StringComparison.Ordinal);
    }
}
