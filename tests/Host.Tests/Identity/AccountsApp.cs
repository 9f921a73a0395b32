using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Host.Tests.Support;
using Monolith.Modules.Identity.Contracts;
using Monolith.Shared.Abstractions.Events;

namespace Monolith.Host.Tests.Identity;

/// <summary>The host with a clock tests can move forward and a capture of the identity module's events.</summary>
public class AccountsApp : CatalogApp
{
    public ShiftedClock Clock { get; } = new();

    public IdentityEventCapture IdentityEvents { get; } = new();

    public const string AdminEmail = "admin@accounts.test";
    public const string AdminPassword = "Accounts-Test-Passw0rd";

    /// <summary>Seeds roles admin and member and the admin user on start-up.</summary>
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Identity:Seed:OnStartup"] = "true",
        ["Identity:Seed:AdminEmail"] = AdminEmail,
        ["Identity:Seed:AdminPassword"] = AdminPassword,
        ["Identity:Seed:ServiceClientSecret"] = "accounts-test-service-secret",
    };

    public HttpClient Admin(string user = "root") => As(user, IdentityPermissions.Admin);

    public HttpClient WithApiKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>Creates a key through the admin API and returns the response body (with the key, shown once).</summary>
    public async Task<JsonObject> CreateApiKeyAsync(string name, params string[] scopes) =>
        await CreateApiKeyAsync(new { name, scopes });

    public async Task<JsonObject> CreateApiKeyAsync(object body)
    {
        var response = await Admin().PostAsync("/api/v1/identity/api-keys", Http.Json(body), TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await response.BodyAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IIntegrationEventHandler<UserRegistered>>(IdentityEvents);
            services.AddSingleton<IIntegrationEventHandler<UserRolesChanged>>(IdentityEvents);
        });
    }
}

/// <summary>The system clock plus an offset a test controls (and must put back).</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

public sealed class IdentityEventCapture : IIntegrationEventHandler<UserRegistered>, IIntegrationEventHandler<UserRolesChanged>
{
    private readonly ConcurrentQueue<IIntegrationEvent> events = new();

    public IReadOnlyList<IIntegrationEvent> All => [.. events];

    public Task HandleAsync(UserRegistered integrationEvent, CancellationToken cancellationToken) => Add(integrationEvent);

    public Task HandleAsync(UserRolesChanged integrationEvent, CancellationToken cancellationToken) => Add(integrationEvent);

    private Task Add(IIntegrationEvent e)
    {
        events.Enqueue(e);
        return Task.CompletedTask;
    }
}
