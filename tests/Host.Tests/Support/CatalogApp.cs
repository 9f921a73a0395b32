using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using Monolith.Modules.Catalog.Contracts;
using Monolith.Shared.Abstractions.Events;
using Serilog.Core;

namespace Monolith.Host.Tests.Support;

/// <summary>The host over HTTP, on its own database of the shared embedded server. One per test class.</summary>
public class CatalogApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string connectionString = "";

    public CatalogApp()
        : this(TestDatabase.NewDatabaseName())
    {
    }

    /// <summary>A host on a given database: several hosts on one database act as several instances of one deployment.</summary>
    protected CatalogApp(string databaseName) => DatabaseName = databaseName;

    public string DatabaseName { get; }

    public LogCapture Logs { get; } = new();

    public EventCapture Events { get; } = new();

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected virtual bool UsesDatabase => true;

    public async ValueTask InitializeAsync()
    {
        connectionString = UsesDatabase ? await TestDatabase.ConnectionStringAsync() : "mongodb://127.0.0.1:1/?directConnection=true&serverSelectionTimeoutMS=500&connectTimeoutMS=500";
        _ = Server; // start the host now, so migrations run before the first test
    }

    public IMongoDatabase Database => Services.GetRequiredService<IMongoDatabase>();

    public HttpClient Anonymous() => CreateClient();

    public HttpClient Writer(string user = "alice") => As(user, CatalogPermissions.Write);

    public HttpClient As(string user, params string[] permissions)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Test", string.Join(' ', [user, .. permissions]));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Mongo", connectionString);
        builder.UseSetting("Mongo:Database", DatabaseName);
        builder.UseSetting("Migrations:ApplyOnStartup", UsesDatabase ? "true" : "false");
        builder.UseSetting("Auth:TestScheme:Enabled", "true");
        builder.UseSetting("SoftDelete:PurgeEnabled", "false");
        builder.UseSetting("Logging:Console", "false"); // the capture sink still sees every event
        builder.UseSetting("Cors:AllowedOrigins:0", "https://app.example.test");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            services.AddSingleton(Events);
            services.AddSingleton<IIntegrationEventHandler<ProductCreated>>(Events);
            services.AddSingleton<IIntegrationEventHandler<ProductUpdated>>(Events);
            services.AddSingleton<IIntegrationEventHandler<ProductDeleted>>(Events);
            services.AddSingleton<IIntegrationEventHandler<ProductRestored>>(Events);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        if (UsesDatabase)
        {
            try
            {
                await Services.GetRequiredService<IMongoClient>().DropDatabaseAsync(DatabaseName);
            }
            catch (MongoException)
            {
                // Best effort: the server is in memory and goes away with the test process anyway.
            }
        }

        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Collects the integration events the catalog publishes.</summary>
public sealed class EventCapture :
    IIntegrationEventHandler<ProductCreated>, IIntegrationEventHandler<ProductUpdated>,
    IIntegrationEventHandler<ProductDeleted>, IIntegrationEventHandler<ProductRestored>
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<IIntegrationEvent> events = new();

    public IReadOnlyList<IIntegrationEvent> All => [.. events];

    public Task HandleAsync(ProductCreated integrationEvent, CancellationToken cancellationToken) => Add(integrationEvent);

    public Task HandleAsync(ProductUpdated integrationEvent, CancellationToken cancellationToken) => Add(integrationEvent);

    public Task HandleAsync(ProductDeleted integrationEvent, CancellationToken cancellationToken) => Add(integrationEvent);

    public Task HandleAsync(ProductRestored integrationEvent, CancellationToken cancellationToken) => Add(integrationEvent);

    private Task Add(IIntegrationEvent e)
    {
        events.Enqueue(e);
        return Task.CompletedTask;
    }
}
