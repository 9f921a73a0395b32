using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Identity;

public sealed class OidcFlowTests(OidcApp app) : IClassFixture<OidcApp>
{
    [Fact]
    public async Task Discovery_lists_the_endpoints_grants_and_S256_only()
    {
        var response = await app.CreateClient().GetAsync("/.well-known/openid-configuration", TestContext.Current.CancellationToken);
        var body = await response.BodyAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("/connect/token", (string)body["token_endpoint"]!);
        Assert.EndsWith("/connect/authorize", (string)body["authorization_endpoint"]!);
        Assert.EndsWith("/.well-known/jwks", (string)body["jwks_uri"]!);
        Assert.Equal(["S256"], body["code_challenge_methods_supported"]!.AsArray().Select(n => (string)n!).ToArray());
        var grants = body["grant_types_supported"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Contains("authorization_code", grants);
        Assert.Contains("client_credentials", grants);
        Assert.Contains("refresh_token", grants);
        Assert.DoesNotContain("password", grants);
        Assert.DoesNotContain("implicit", grants);
        var scopes = body["scopes_supported"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Contains("catalog.write", scopes);
        Assert.Contains("files.read", scopes);
    }

    [Fact]
    public async Task The_code_flow_with_PKCE_issues_tokens_whose_permissions_are_the_granted_scopes_the_user_holds()
    {
        var flow = await app.CodeFlowAsync("openid profile email offline_access catalog.write");
        Assert.NotNull(flow.Tokens["refresh_token"]);
        Assert.NotNull(flow.Tokens["id_token"]);
        var access = new JsonWebToken(flow.AccessToken);
        Assert.Contains("monolith-api", access.Audiences);
        Assert.Equal(["catalog.write"], access.Claims.Where(c => c.Type == "permission").Select(c => c.Value).ToArray());
        Assert.Equal("at+jwt", access.Typ);
    }

    [Fact]
    public async Task Client_credentials_get_a_token_whose_permissions_are_the_granted_api_scopes()
    {
        var tokens = await app.ClientCredentialsAsync("catalog.read files.read");
        var access = new JsonWebToken((string)tokens["access_token"]!);
        Assert.Equal(["catalog.read", "files.read"], access.Claims.Where(c => c.Type == "permission").Select(c => c.Value).Order().ToArray());
        Assert.Equal("monolith-service", access.Subject);
        Assert.Null(tokens["refresh_token"]);
    }
}
