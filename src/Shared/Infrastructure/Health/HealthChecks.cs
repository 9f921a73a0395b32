using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Bson;
using MongoDB.Driver;
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

internal sealed class CacheHealthCheck(IFusionCache cache) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var probe = Guid.NewGuid().ToString("N");
            await cache.SetAsync("health:probe", probe, TimeSpan.FromSeconds(10), token: cancellationToken);
            var read = await cache.GetOrDefaultAsync<string>("health:probe", token: cancellationToken);
            return read == probe ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded("The cache did not return what was written.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The cache fails.", ex);
        }
    }
}
