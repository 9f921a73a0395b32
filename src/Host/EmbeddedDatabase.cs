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
        // Owned by the container: disposed (the server stopped) when the host shuts down.
        builder.Services.AddHostedService(sp =>
        {
            LogStarted(sp.GetRequiredService<ILogger<EmbeddedMongoServer>>(), server.ConnectionString, Path.GetFullPath(dataPath));
            return new EmbeddedServerLifetime(server);
        });
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "No ConnectionStrings:Mongo configured: started the embedded database at {DatabaseEndpoint} with data in {DataPath}")]
    private static partial void LogStarted(ILogger logger, string databaseEndpoint, string dataPath);

    private sealed class EmbeddedServerLifetime(EmbeddedMongoServer server) : IHostedService, IAsyncDisposable
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
