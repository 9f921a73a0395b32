using MongoDB.Driver;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Monolith.Modules.Identity.OpenId.Stores;

/// <summary>
/// The OpenIddict stores' shared queries and writes. For cached documents (authorizations, tokens) every write drops
/// the entry cache, in a finally: a write whose outcome is unknown must not leave a cached copy behind.
/// </summary>
internal static class OidcStoreWrites
{
    /// <summary>Entries of a subject / client / status / type; empty arguments match anything.</summary>
    public static FilterDefinition<T> Matching<T>(string? subject, string? client, string? status, string? type) where T : IOidcEntry
    {
        var filter = Builders<T>.Filter;
        var matching = filter.Empty;
        if (!string.IsNullOrEmpty(subject))
        {
            matching &= filter.Eq(e => e.Subject, subject);
        }

        if (!string.IsNullOrEmpty(client))
        {
            matching &= filter.Eq(e => e.ApplicationId, client);
        }

        if (!string.IsNullOrEmpty(status))
        {
            matching &= filter.Eq(e => e.Status, status);
        }

        if (!string.IsNullOrEmpty(type))
        {
            matching &= filter.Eq(e => e.Type, type);
        }

        return matching;
    }

    /// <summary>Replaces the entry only if nobody changed it since it was read (its concurrency token), else throws.</summary>
    public static async ValueTask ReplaceAsync<T>(
        IMongoCollection<T> collection, T entry, OidcEntryCache? cache, string what, CancellationToken cancellationToken) where T : IOidcDocument
    {
        var read = entry.ConcurrencyToken;
        entry.ConcurrencyToken = Guid.NewGuid().ToString("N");
        ReplaceOneResult result;
        try
        {
            result = await collection.ReplaceOneAsync(e => e.Id == entry.Id && e.ConcurrencyToken == read, entry, cancellationToken: cancellationToken);
        }
        finally
        {
            cache?.Invalidate();
        }

        if (result.MatchedCount == 0)
        {
            entry.ConcurrencyToken = read;
            throw StoreValues.Conflict(what);
        }
    }

    /// <summary>One UpdateMany; each matched entry gets a new concurrency token so a stale copy cannot undo the revocation.</summary>
    public static async Task<long> RevokeAsync<T>(
        IMongoCollection<T> collection, FilterDefinition<T> filter, OidcEntryCache cache, CancellationToken cancellationToken) where T : IOidcEntry
    {
        UpdateResult result;
        try
        {
            result = await collection.UpdateManyAsync(
                filter & Builders<T>.Filter.Ne(e => e.Status, Statuses.Revoked),
                Builders<T>.Update.Set(e => e.Status, Statuses.Revoked).Set(e => e.ConcurrencyToken, Guid.NewGuid().ToString("N")),
                cancellationToken: cancellationToken);
        }
        finally
        {
            cache.Invalidate();
        }

        return result.ModifiedCount;
    }

    /// <summary>OpenIddict's setters only change the document in memory; UpdateAsync writes it.</summary>
    public static ValueTask Set(Action set)
    {
        set();
        return ValueTask.CompletedTask;
    }
}
