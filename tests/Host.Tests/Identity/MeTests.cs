using System.Net;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Identity;

public sealed class MeTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    private const string Me = "/api/v1/identity/me";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stored_user_sees_its_profile_roles_and_the_permissions_they_grant()
    {
        var admins = await (await app.Admin().GetAsync($"/api/v1/identity/users?q={AccountsApp.AdminEmail}", Ct)).BodyAsync();
        var id = (string)admins["data"]![0]!["id"]!;

        var me = await (await app.As(id).GetAsync(Me, Ct)).BodyAsync();
        Assert.Equal(id, (string?)me["subject"]);
        Assert.Equal("user", (string?)me["kind"]);
        Assert.Equal(AccountsApp.AdminEmail, (string?)me["email"]);
        Assert.Equal(["admin"], me["roles"]!.AsArray().Select(r => (string)r!));
        var permissions = me["permissions"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Contains("identity.admin", permissions);
        Assert.Contains("catalog.write", permissions);
        Assert.DoesNotContain("passwordHash", me.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_api_key_sees_its_subject_and_scopes()
    {
        var created = await app.CreateApiKeyAsync("who am i", "catalog.write");
        var me = await (await app.WithApiKey((string)created["key"]!).GetAsync(Me, Ct)).BodyAsync();
        Assert.Equal($"apikey:{created["id"]}", (string?)me["subject"]);
        Assert.Equal("apiKey", (string?)me["kind"]);
        Assert.Null(me["email"]);
        Assert.Empty(me["roles"]!.AsArray());
        Assert.Equal(["catalog.write"], me["permissions"]!.AsArray().Select(p => (string)p!));
    }

    [Theory]
    [InlineData("service-x")]
    [InlineData("65f000000000000000000000")] // looks like a user id, but no such user
    public async Task Another_principal_sees_its_subject_and_granted_permissions(string subject)
    {
        var response = await app.As(subject, "catalog.write", "catalog.write").GetAsync(Me, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.BodyAsync();
        Assert.Equal(subject, (string?)me["subject"]);
        Assert.Equal("principal", (string?)me["kind"]);
        Assert.Equal(["catalog.write"], me["permissions"]!.AsArray().Select(p => (string)p!));
    }

    [Fact]
    public async Task Anonymous_callers_get_401()
    {
        await (await app.Anonymous().GetAsync(Me, Ct)).ProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }
}
