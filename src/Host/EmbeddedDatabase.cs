using Monolith.EmbeddedMongo;

namespace Monolith.Host;

/// <summary>
/// Without ConnectionStrings:Mongo the host runs the embedded MongoDB-compatible server in-process (data under
/// .data/mongo) and points itself at it. Production refuses this: it must be given a real database.
/// </summary>
internal static partial class EmbeddedDatabase
{
    public static async Task StartIfNeededAsync(WebApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Mongo")))
        {
            return;
        }

        if (builder.Environment.IsProduction())
        {
            throw new InvalidOperationException(
                "No database configured: set ConnectionStrings__Mongo (e.g. mongodb://mongo:27017/?replicaSet=rs0). " +
                "The embedded database is only started outside Production.");
        }

        var dataPath = builder.Configuration["EmbeddedMongo:DataPath"] ?? Path.Combine(".data", "mongo");
        var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { Port = 0, DataPath = dataPath, ReplicaSetName = "rs0" });
        builder.Configuration["ConnectionStrings:Mongo"] = server.ConnectionString;
        // Owned by the container (a factory registration, so it is disposed): the server stops, and saves its data,
        // when the host is disposed, whether it served requests or ran a command.
        builder.Services.AddSingleton(sp =>
        {
            LogStarted(sp.GetRequiredService<ILogger<EmbeddedMongoServer>>(), server.ConnectionString, Path.GetFullPath(dataPath));
            return new EmbeddedServerLifetime(server);
        });
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedServerLifetime>());
    }

    /// <summary>Makes sure the container owns the embedded server even when no hosted service is started (commands).</summary>
    public static void Own(IServiceProvider services) => services.GetService<EmbeddedServerLifetime>();

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "No ConnectionStrings:Mongo configured: started the embedded database at {DatabaseEndpoint} with data in {DataPath}")]
    private static partial void LogStarted(ILogger logger, string databaseEndpoint, string dataPath);

    internal sealed class EmbeddedServerLifetime(EmbeddedMongoServer server) : IHostedService, IAsyncDisposable
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
