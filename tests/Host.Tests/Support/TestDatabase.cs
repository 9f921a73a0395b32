using Monolith.EmbeddedMongo;

namespace Monolith.Host.Tests.Support;

/// <summary>One embedded server (in memory) for the whole test run; each test class gets its own database on it.</summary>
internal static class TestDatabase
{
    private static readonly Lazy<Task<EmbeddedMongoServer>> Server = new(() =>
        EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { Port = 0 }));

    public static async Task<string> ConnectionStringAsync() => (await Server.Value).ConnectionString;

    public static string NewDatabaseName() => "t" + Guid.NewGuid().ToString("N")[..16];
}
