using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Modules.Identity.Domain;

namespace Monolith.Host.Tests.Identity;

/// <summary>The sign-in form: antiforgery, lockout, one answer for every failure, local redirects only, rate limit.</summary>
public sealed class AccountLoginTests(AccountLoginTests.App app) : IClassFixture<AccountLoginTests.App>
{
    public sealed class App : OidcApp
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["RateLimiting:Policies:identity-login:PermitLimit"] = "1000",
        };
    }

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    private async Task<(HttpClient Browser, string Token)> FormAsync(string returnUrl = "/connect/authorize?x=1")
    {
        var browser = app.Browser();
        var page = await browser.GetAsync("/account/login?ReturnUrl=" + Uri.EscapeDataString(returnUrl), ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return (browser, OidcApp.HiddenField(await page.Content.ReadAsStringAsync(ct), "__RequestVerificationToken"));
    }

    private async Task<HttpResponseMessage> PostAsync(HttpClient browser, string token, string username, string password, string returnUrl = "/connect/authorize?x=1") =>
        await browser.PostAsync("/account/login", OidcApp.Form(new()
        {
            ["__RequestVerificationToken"] = token, ["ReturnUrl"] = returnUrl, ["username"] = username, ["password"] = password,
        }), ct);

    private async Task<string> NewUserAsync()
    {
        var email = $"u-{Guid.NewGuid():N}@monolith.test";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        Assert.True((await users.CreateAsync(new User { UserName = email, Email = email, EmailConfirmed = true }, "Right-Passw0rd")).Succeeded);
        return email;
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_every_failure_reads_like_an_unknown_user()
    {
        var email = await NewUserAsync();
        var (browser, token) = await FormAsync();

        var unknown = await PostAsync(browser, token, "nobody-" + email, "Whatever-Passw0rd");
        var unknownBody = await unknown.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Invalid email or password.", unknownBody);

        for (var i = 0; i < 5; i++)
        {
            var wrong = await PostAsync(browser, token, email, "Wrong-Passw0rd" + i);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("Invalid email or password.", await wrong.Content.ReadAsStringAsync(ct));
        }

        // Locked out now: even the right password fails, with the very same answer.
        var locked = await PostAsync(browser, token, email, "Right-Passw0rd");
        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        var lockedBody = await locked.Content.ReadAsStringAsync(ct);
        Assert.Contains("Invalid email or password.", lockedBody);
        Assert.Equal(Strip(unknownBody, "nobody-" + email), Strip(lockedBody, email));
        Assert.Contains(app.Logs.Events, e => e.MessageTemplate.Text.Contains("locked out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_right_password_redirects_to_the_local_return_url_and_never_to_another_site()
    {
        var email = await NewUserAsync();
        var (browser, token) = await FormAsync();
        var ok = await PostAsync(browser, token, email, "Right-Passw0rd", "https://evil.example/steal");
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal("/", ok.Headers.Location!.OriginalString);

        var (browser2, token2) = await FormAsync();
        var local = await PostAsync(browser2, token2, email, "Right-Passw0rd", "/connect/authorize?client_id=x");
        Assert.Equal("/connect/authorize?client_id=x", local.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_does_not_sign_in()
    {
        var email = await NewUserAsync();
        var response = await app.Browser().PostAsync("/account/login", OidcApp.Form(new()
        {
            ["ReturnUrl"] = "/", ["username"] = email, ["password"] = "Right-Passw0rd",
        }), ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    private static string Strip(string html, string email) =>
        System.Text.RegularExpressions.Regex.Replace(html.Replace(email, "", StringComparison.Ordinal), "value=\"CfDJ[^\"]*\"", "");
}

/// <summary>The sign-in form's rate limit, on a host of its own (its budget is per client address, shared by the class).</summary>
public sealed class AccountLoginRateLimitTests(AccountLoginRateLimitTests.App app) : IClassFixture<AccountLoginRateLimitTests.App>
{
    public sealed class App : OidcApp
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["RateLimiting:Policies:identity-login:PermitLimit"] = "5",
            ["RateLimiting:Policies:identity-login:Window"] = "00:10:00",
        };
    }

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_client_address()
    {
        var browser = app.Browser();
        var page = await browser.GetAsync("/account/login", ct);
        var token = OidcApp.HiddenField(await page.Content.ReadAsStringAsync(ct), "__RequestVerificationToken");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 6; i++)
        {
            last = await browser.PostAsync("/account/login", OidcApp.Form(new()
            {
                ["__RequestVerificationToken"] = token, ["ReturnUrl"] = "/", ["username"] = $"flood{i}@monolith.test", ["password"] = "Whatever-Passw0rd",
            }), ct);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.BadRequest, 5), statuses.Take(5));
        await Monolith.Host.Tests.Support.Http.ProblemAsync(last!, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.True(last!.Headers.Contains("Retry-After"));
    }
}
