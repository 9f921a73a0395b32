using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Shared.Infrastructure.Caching;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Shared.Infrastructure.Health;

internal sealed class MongoHealthCheck(IMongoClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}

/// <summary>
/// Healthy when the memory cache round-trips a value and Redis (if configured) answers. Redis down is Degraded, not
/// Unhealthy: the cache then runs on memory alone, and taking every instance out of the load balancer for it would
/// turn a slower cache into an outage. The probe stays local (no L2 write, no backplane message), so instances'
/// probes never disturb one another.
/// </summary>
internal sealed class CacheHealthCheck(IFusionCache cache, RedisConnection? redis = null) : IHealthCheck
{
    private static readonly FusionCacheEntryOptions LocalOnly = new()
    {
        Duration = TimeSpan.FromSeconds(10),
        SkipDistributedCacheRead = true,
        SkipDistributedCacheWrite = true,
        SkipBackplaneNotifications = true,
    };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var probe = Guid.NewGuid().ToString("N");
            var key = "health:probe:" + probe;
            await cache.SetAsync(key, probe, LocalOnly, token: cancellationToken);
            var read = await cache.GetOrDefaultAsync<string>(key, options: LocalOnly, token: cancellationToken);
            await cache.RemoveAsync(key, LocalOnly, cancellationToken);
            if (read != probe)
            {
                return HealthCheckResult.Degraded("The memory cache did not return what was written.");
            }
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The cache fails.", ex);
        }

        if (redis is not null && !await redis.PingAsync(TimeSpan.FromSeconds(1), cancellationToken))
        {
            return HealthCheckResult.Degraded("Redis does not answer: the cache runs on memory alone and instances do not see each other's writes.");
        }

        return HealthCheckResult.Healthy();
    }
}
