using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Shared.Infrastructure.Mongo;

namespace Monolith.Shared.Infrastructure.SoftDelete;

public sealed class SoftDeleteOptions
{
    public const string Section = "SoftDelete";

    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    public bool PurgeEnabled { get; set; } = true;

    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>A collection whose soft-deleted documents the purge removes.</summary>
public sealed record SoftDeleteCollection(string Module, string Collection);

/// <summary>Removes documents soft-deleted longer ago than the retention period.</summary>
public sealed partial class SoftDeletePurger(
    IEnumerable<SoftDeleteCollection> collections,
    IServiceProvider services,
    IOptions<SoftDeleteOptions> options,
    TimeProvider clock,
    ILogger<SoftDeletePurger> logger)
{
    public async Task<long> PurgeAsync(CancellationToken cancellationToken, TimeSpan? retention = null)
    {
        var cutoff = clock.GetUtcNow() - (retention ?? options.Value.Retention);
        long total = 0;
        foreach (var target in collections)
        {
            var db = services.GetRequiredKeyedService<ModuleDatabase>(target.Module);
            var filter = Builders<BsonDocument>.Filter.Lt(SoftDelete.Field, cutoff.UtcDateTime);
            var result = await db.Collection<BsonDocument>(target.Collection).DeleteManyAsync(filter, cancellationToken);
            total += result.DeletedCount;
            if (result.DeletedCount > 0)
            {
                LogPurged(logger, result.DeletedCount, db.CollectionName(target.Collection));
            }
        }

        return total;
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Purged {Count} soft-deleted documents from {Collection}")]
    private static partial void LogPurged(ILogger logger, long count, string collection);
}
