namespace Monolith.Host.Tests.Support;

/// <summary>One instance of the host behind a load balancer: shares its database and its Redis with the others.</summary>
public sealed class RedisNode(string databaseName, string redis) : CatalogApp(databaseName)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Redis"] = redis,
        // The tests poll; polling must not run into the per-client read limit.
        ["RateLimiting:Policies:catalog-read:PermitLimit"] = "100000",
        ["RateLimiting:Policies:catalog-write:PermitLimit"] = "100000",
    };
}

/// <summary>
/// A real redis-server and two hosts (A and B) on one database and that Redis: what two instances of a deployment
/// share. <see cref="StartNodeAsync"/> adds a third, cold one.
/// </summary>
public sealed class RedisCluster : IAsyncLifetime
{
    private readonly string databaseName = TestDatabase.NewDatabaseName();

    public RedisServer Redis { get; private set; } = null!;

    public RedisNode A { get; private set; } = null!;

    public RedisNode B { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Redis = await RedisServer.StartNewAsync();
        A = await StartNodeAsync();
        B = await StartNodeAsync();
    }

    /// <summary>A new host on the same database and Redis, with an empty memory cache. The caller disposes it.</summary>
    public async Task<RedisNode> StartNodeAsync()
    {
        var node = new RedisNode(databaseName, Redis.ConnectionString);
        await node.InitializeAsync();
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}
