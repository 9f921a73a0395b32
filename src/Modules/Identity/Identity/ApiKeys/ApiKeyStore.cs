using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Infrastructure.Mongo;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Identity.ApiKeys;

/// <summary>What authentication needs of a key: cached briefly by prefix, removed from the cache on revoke.</summary>
internal sealed record ApiKeyEntry(string Id, byte[] SecretHash, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>
/// <c>identity.api_keys</c> (kept apart from <see cref="IdentityDb"/>), the short-lived lookup cache, and the
/// at-most-once-a-minute <c>lastUsedAt</c> writes.
/// </summary>
internal sealed partial class ApiKeyStore(
    [FromKeyedServices(IdentityModule.Name)] ModuleDatabase database, IFusionCache cache, TimeProvider clock, ILogger<ApiKeyStore> logger)
{
    public const string Collection = "api_keys";

    /// <summary>How stale <c>lastUsedAt</c> may be: a key is written at most once per interval.</summary>
    public static readonly TimeSpan UsageWriteInterval = TimeSpan.FromMinutes(1);

    private readonly FusionCacheEntryOptions cacheEntry = cache.DefaultEntryOptions.Duplicate(TimeSpan.FromMinutes(1));
    private readonly ConcurrentDictionary<string, DateTimeOffset> lastWritten = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> revokedHere = new(StringComparer.Ordinal);

    public IMongoCollection<ApiKey> Keys { get; } = database.Collection<ApiKey>(Collection);

    public static string CacheKey(string prefix) => $"identity:apikey:{prefix}";

    public async Task<ApiKeyEntry?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var entry = await cache.GetOrSetAsync<ApiKeyEntry?>(
            CacheKey(prefix),
            async token => await Keys.Find(k => k.Prefix == prefix).FirstOrDefaultAsync(token) is { } key
                ? new ApiKeyEntry(key.Id, key.SecretHash, key.Scopes, key.ExpiresAt, key.RevokedAt)
                : null,
            options: cacheEntry,
            token: cancellationToken);

        // A lookup that read the key just before it was revoked may have re-filled the cache after the revocation
        // removed it; what this instance revoked stays refused regardless.
        return entry is { RevokedAt: null } && revokedHere.TryGetValue(prefix, out var revokedAt) ? entry with { RevokedAt = revokedAt } : entry;
    }

    /// <summary>Called after a revocation is stored: the cached entry goes (here and, with Redis, on every instance).</summary>
    public async Task ForgetAsync(string prefix, CancellationToken cancellationToken)
    {
        revokedHere[prefix] = clock.GetUtcNow();
        await cache.RemoveAsync(CacheKey(prefix), token: cancellationToken);
    }

    /// <summary>
    /// Records a use. This instance skips keys it wrote less than a minute ago, and the conditional update keeps
    /// other instances from writing within the minute too. Best effort: a failed write never fails the request.
    /// </summary>
    public async Task TouchAsync(string id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (lastWritten.TryGetValue(id, out var last) && now - last < UsageWriteInterval)
        {
            return;
        }

        lastWritten[id] = now;
        var filter = Builders<ApiKey>.Filter;
        try
        {
            await Keys.UpdateOneAsync(
                filter.Eq(k => k.Id, id) & (filter.Eq(k => k.LastUsedAt, null) | filter.Lte(k => k.LastUsedAt, now - UsageWriteInterval)),
                Builders<ApiKey>.Update.Set(k => k.LastUsedAt, now),
                cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is MongoException or TimeoutException)
        {
            lastWritten.TryRemove(id, out _);
            LogUsageNotRecorded(logger, e, id);
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Could not record the use of API key {ApiKeyId}")]
    private static partial void LogUsageNotRecorded(ILogger logger, Exception exception, string apiKeyId);
}
