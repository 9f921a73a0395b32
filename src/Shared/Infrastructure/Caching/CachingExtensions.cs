using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Monolith.Shared.Infrastructure.Caching;

public static class CachingExtensions
{
    /// <summary>
    /// FusionCache: memory (L1) always; Redis as L2 and backplane when ConnectionStrings:Redis is set. Fail-safe keeps
    /// serving the last good value when the database or Redis is down; Redis calls are time-boxed. L2, backplane and the
    /// readiness check share one Redis connection (<see cref="RedisConnection"/>).
    /// </summary>
    public static IServiceCollection AddPlatformCaching(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddFusionCache()
            .WithOptions(o =>
            {
                o.DistributedCacheCircuitBreakerDuration = TimeSpan.FromSeconds(5);
                o.BackplaneCircuitBreakerDuration = TimeSpan.FromSeconds(5);
                // A failing factory either propagates (and the exception handler logs it, once) or is absorbed by
                // fail-safe (logged as a fail-safe activation): logging it here too would log it twice.
                o.FactoryErrorsLogLevel = Microsoft.Extensions.Logging.LogLevel.Debug;
                // RemoveByTag writes tag expirations with these options, not with the defaults below: same hard timeout.
                o.TagsDefaultEntryOptions.DistributedCacheHardTimeout = TimeSpan.FromSeconds(1);
            })
            .WithDefaultEntryOptions(new FusionCacheEntryOptions
            {
                Duration = configuration.GetValue("Caching:DefaultDuration", TimeSpan.FromMinutes(5)),
                IsFailSafeEnabled = true,
                FailSafeMaxDuration = TimeSpan.FromHours(2),
                FailSafeThrottleDuration = TimeSpan.FromSeconds(30),
                DistributedCacheSoftTimeout = TimeSpan.FromMilliseconds(100),
                DistributedCacheHardTimeout = TimeSpan.FromSeconds(1),
                AllowBackgroundDistributedCacheOperations = true,
            })
            .WithSerializer(new FusionCacheSystemTextJsonSerializer(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { IncludeFields = true }));

        var redis = configuration.GetConnectionString("Redis");
        if (!string.IsNullOrWhiteSpace(redis))
        {
            var connection = new RedisConnection(redis);
            services.AddSingleton(_ => connection); // created by a factory, so the container disposes it
            builder
                .WithDistributedCache(new RedisCache(new RedisCacheOptions { ConnectionMultiplexerFactory = connection.GetAsync }))
                .WithBackplane(new RedisBackplane(new RedisBackplaneOptions { ConnectionMultiplexerFactory = connection.GetAsync }));
        }

        return services;
    }
}
