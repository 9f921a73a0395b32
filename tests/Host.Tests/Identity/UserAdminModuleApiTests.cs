using Microsoft.Extensions.DependencyInjection;
using Monolith.Host.Tests.Support;
using Monolith.Modules.Identity.Contracts;

namespace Monolith.Host.Tests.Identity;

/// <summary>What other modules get through IIdentityModuleApi.</summary>
public sealed class UserAdminModuleApiTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    [Fact]
    public async Task Other_modules_can_find_a_user_profile_and_get_null_for_missing_or_deleted_users()
    {
        var ct = TestContext.Current.CancellationToken;
        var created = await (await app.Admin().PostAsync("/api/v1/identity/users",
            Http.Json(new { email = "profile@example.test", password = "Correct-Horse-9", displayName = "Pro File", roles = new[] { "member" } }), ct)).BodyAsync();
        var id = (string)created["id"]!;

        await using var scope = app.Services.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<IIdentityModuleApi>();
        var profile = await api.FindUserAsync(id, ct);
        Assert.NotNull(profile);
        Assert.Equal("profile@example.test", profile.Email);
        Assert.Equal("Pro File", profile.DisplayName);
        Assert.Equal(["member"], profile.Roles);
        Assert.Equal((DateTimeOffset)created["createdAt"]!, profile.CreatedAt);

        Assert.Null(await api.FindUserAsync("65f000000000000000000000", ct));
        Assert.Null(await api.FindUserAsync("not-an-id", ct));

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/identity/users/{id}");
        delete.Headers.TryAddWithoutValidation("If-Match", "*");
        await app.Admin().SendAsync(delete, ct);
        Assert.Null(await api.FindUserAsync(id, ct));
    }
}
