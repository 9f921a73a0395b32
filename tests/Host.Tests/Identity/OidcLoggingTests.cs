using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Identity;

/// <summary>A whole OpenID Connect session leaves no secret in the logs: passwords, codes, verifiers, secrets, tokens.</summary>
public sealed class OidcLoggingTests(OidcApp app) : IClassFixture<OidcApp>
{
    [Fact]
    public async Task No_password_code_verifier_client_secret_or_token_reaches_the_logs()
    {
        var ct = TestContext.Current.CancellationToken;
        var flow = await app.CodeFlowAsync("openid profile email offline_access catalog.write");
        var refreshed = await (await app.RefreshAsync(flow.RefreshToken)).BodyAsync();
        var service = await app.ClientCredentialsAsync("catalog.read");
        var serviceToken = (string)service["access_token"]!;
        await app.CreateClient().PostAsync("/connect/introspect", OidcApp.Form(new()
        {
            ["client_id"] = "monolith-service", ["client_secret"] = OidcApp.ServiceSecret, ["token"] = serviceToken,
        }), ct);
        await app.CreateClient().PostAsync("/connect/revoke", OidcApp.Form(new()
        {
            ["client_id"] = "monolith-service", ["client_secret"] = OidcApp.ServiceSecret, ["token"] = serviceToken,
        }), ct);
        await app.Bearer(serviceToken).PostAsync("/api/v1/catalog/products", Http.Json("{}"), ct);
        await app.Bearer((string)refreshed["access_token"]!).GetAsync("/connect/userinfo", ct);
        var failed = await app.CreateClient().PostAsync("/connect/token", OidcApp.Form(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "monolith-service", ["client_secret"] = "Wrong-Secret-Value-123",
        }), ct);
        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        var replay = await app.RefreshAsync(flow.RefreshToken); // a replay, logged as a warning
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);

        var secrets = new Dictionary<string, string>
        {
            ["password"] = OidcApp.AdminPassword,
            ["code"] = flow.Code,
            ["code_verifier"] = flow.Verifier,
            ["client_secret"] = OidcApp.ServiceSecret,
            ["wrong client_secret"] = "Wrong-Secret-Value-123",
            ["access_token"] = flow.AccessToken,
            ["refresh_token"] = flow.RefreshToken,
            ["id_token"] = flow.IdToken,
            ["rotated refresh_token"] = (string)refreshed["refresh_token"]!,
            ["rotated access_token"] = (string)refreshed["access_token"]!,
            ["service access_token"] = serviceToken,
        };
        var text = app.Logs.Text();
        Assert.Contains("/connect/token", text, StringComparison.Ordinal); // the flow was logged at all
        foreach (var (name, value) in secrets)
        {
            Assert.False(text.Contains(value, StringComparison.Ordinal), $"the {name} appears in the logs");
            // Tokens are long: a leaked fragment (e.g. the signature part of a JWT) counts too.
            if (value.Length > 60)
            {
                Assert.False(text.Contains(value[^40..], StringComparison.Ordinal), $"the end of the {name} appears in the logs");
            }
        }
    }

    [Fact]
    public void Form_bodies_query_strings_and_json_dumps_logged_as_strings_get_their_secret_parameters_masked()
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Monolith.Tests");
        logger.LogInformation("Body {Body}", "grant_type=authorization_code&code=FormCode111&code_verifier=FormVerifier222&client_secret=FormSecret333");
        logger.LogInformation("Url {Url}", "/connect/authorize?client_id=x&id_token_hint=QueryHint444&state=keep-me");
        logger.LogInformation("Dump {Dump}", "{\n  \"refresh_token\": \"JsonRefresh555\",\n  \"password\": \"JsonPassword666\"\n}");

        var text = app.Logs.Text();
        foreach (var secret in new[] { "FormCode111", "FormVerifier222", "FormSecret333", "QueryHint444", "JsonRefresh555", "JsonPassword666" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.Contains("keep-me", text, StringComparison.Ordinal);
        Assert.Contains("grant_type=authorization_code", text, StringComparison.Ordinal);
    }
}
