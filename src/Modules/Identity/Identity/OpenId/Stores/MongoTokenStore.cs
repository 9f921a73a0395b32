using System.Collections.Immutable;
using System.Text.Json;
using MongoDB.Driver;
using MongoDB.Driver.Linq;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Monolith.Modules.Identity.OpenId.Stores;

/// <summary>OpenIddict's token store on <c>identity.tokens</c>.</summary>
internal sealed class MongoTokenStore(OidcDb db, OidcEntryCache cache, TimeProvider clock) : IOpenIddictTokenStore<OidcToken>
{
    private static readonly FilterDefinitionBuilder<OidcToken> Filter = Builders<OidcToken>.Filter;

    private IMongoCollection<OidcToken> Tokens => db.Tokens;

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken) =>
        await Tokens.CountDocumentsAsync(FilterDefinition<OidcToken>.Empty, cancellationToken: cancellationToken);

    public async ValueTask<long> CountAsync<TResult>(Func<IQueryable<OidcToken>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        await query(Tokens.AsQueryable()).LongCountAsync(cancellationToken);

    public async ValueTask CreateAsync(OidcToken token, CancellationToken cancellationToken) =>
        await Tokens.InsertOneAsync(token, cancellationToken: cancellationToken);

    public async ValueTask DeleteAsync(OidcToken token, CancellationToken cancellationToken)
    {
        DeleteResult result;
        try
        {
            result = await Tokens.DeleteOneAsync(t => t.Id == token.Id && t.ConcurrencyToken == token.ConcurrencyToken, cancellationToken);
        }
        finally
        {
            cache.Invalidate(); // after the write: a read racing it is not cached
        }

        if (result.DeletedCount == 0)
        {
            throw StoreValues.Conflict("token");
        }
    }

    public IAsyncEnumerable<OidcToken> FindAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        StoreValues.Stream(Tokens.Find(OidcStoreWrites.Matching<OidcToken>(subject, client, status, type)), cancellationToken);

    public IAsyncEnumerable<OidcToken> FindByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        StoreValues.Stream(Tokens.Find(t => t.ApplicationId == identifier), cancellationToken);

    public IAsyncEnumerable<OidcToken> FindByAuthorizationIdAsync(string identifier, CancellationToken cancellationToken) =>
        StoreValues.Stream(Tokens.Find(t => t.AuthorizationId == identifier), cancellationToken);

    public async ValueTask<OidcToken?> FindByIdAsync(string identifier, CancellationToken cancellationToken)
    {
        if (!StoreValues.IsObjectId(identifier))
        {
            return null;
        }

        if (cache.Get<OidcToken>(identifier, t => t.Copy()) is { } cached)
        {
            return cached;
        }

        var generation = cache.Generation;
        var token = await Tokens.Find(t => t.Id == identifier).FirstOrDefaultAsync(cancellationToken);
        cache.Set(identifier, token, generation, t => t.Copy());
        return token;
    }

    public async ValueTask<OidcToken?> FindByReferenceIdAsync(string identifier, CancellationToken cancellationToken) =>
        await Tokens.Find(t => t.ReferenceId == identifier).FirstOrDefaultAsync(cancellationToken);

    public IAsyncEnumerable<OidcToken> FindBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        StoreValues.Stream(Tokens.Find(t => t.Subject == subject), cancellationToken);

    public ValueTask<string?> GetApplicationIdAsync(OidcToken token, CancellationToken cancellationToken) => new(token.ApplicationId);

    public async ValueTask<TResult?> GetAsync<TState, TResult>(
        Func<IQueryable<OidcToken>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        await query(Tokens.AsQueryable(), state).FirstOrDefaultAsync(cancellationToken);

    public ValueTask<string?> GetAuthorizationIdAsync(OidcToken token, CancellationToken cancellationToken) => new(token.AuthorizationId);

    public ValueTask<DateTimeOffset?> GetCreationDateAsync(OidcToken token, CancellationToken cancellationToken) => new(token.CreationDate);

    public ValueTask<DateTimeOffset?> GetExpirationDateAsync(OidcToken token, CancellationToken cancellationToken) => new(token.ExpirationDate);

    public ValueTask<string?> GetIdAsync(OidcToken token, CancellationToken cancellationToken) => new(token.Id);

    public ValueTask<string?> GetPayloadAsync(OidcToken token, CancellationToken cancellationToken) => new(token.Payload);

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(OidcToken token, CancellationToken cancellationToken) =>
        new(StoreValues.ReadProperties(token.Properties));

    public ValueTask<DateTimeOffset?> GetRedemptionDateAsync(OidcToken token, CancellationToken cancellationToken) => new(token.RedemptionDate);

    public ValueTask<string?> GetReferenceIdAsync(OidcToken token, CancellationToken cancellationToken) => new(token.ReferenceId);

    public ValueTask<string?> GetStatusAsync(OidcToken token, CancellationToken cancellationToken) => new(token.Status);

    public ValueTask<string?> GetSubjectAsync(OidcToken token, CancellationToken cancellationToken) => new(token.Subject);

    public ValueTask<string?> GetTypeAsync(OidcToken token, CancellationToken cancellationToken) => new(token.Type);

    public ValueTask<OidcToken> InstantiateAsync(CancellationToken cancellationToken) => new(new OidcToken());

    public IAsyncEnumerable<OidcToken> ListAsync(int? count, int? offset, CancellationToken cancellationToken) =>
        StoreValues.Stream(Tokens.Find(FilterDefinition<OidcToken>.Empty).SortBy(t => t.Id).Skip(offset).Limit(count), cancellationToken);

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(
        Func<IQueryable<OidcToken>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        StoreValues.Stream(query(Tokens.AsQueryable(), state), cancellationToken);

    /// <summary>
    /// Deletes, in bounded batches, tokens created before <paramref name="threshold"/> that are expired, no longer
    /// valid (redeemed, revoked, rejected), or whose authorization is no longer valid.
    /// </summary>
    public async ValueTask<long> PruneAsync(DateTimeOffset threshold, CancellationToken cancellationToken)
    {
        var old = Filter.Lt(t => t.CreationDate, threshold);
        var dead = Filter.Nin(t => t.Status, [Statuses.Inactive, Statuses.Valid]) | Filter.Lt(t => t.ExpirationDate, clock.GetUtcNow());
        var deleted = await StoreValues.DeleteInBatchesAsync(Tokens, old & dead, cancellationToken);

        string? after = null;
        while (deleted < StoreValues.PruneMaxPerCall)
        {
            var invalid = Builders<OidcAuthorization>.Filter.Ne(a => a.Status, Statuses.Valid);
            if (after is not null)
            {
                invalid &= Builders<OidcAuthorization>.Filter.Gt(a => a.Id, after);
            }

            var authorizations = await db.Authorizations.Find(invalid).SortBy(a => a.Id).Limit(StoreValues.PruneBatch)
                .Project(a => a.Id).ToListAsync(cancellationToken);
            if (authorizations.Count == 0)
            {
                break;
            }

            after = authorizations[^1];
            deleted += await StoreValues.DeleteInBatchesAsync(Tokens, old & Filter.In(t => t.AuthorizationId, authorizations), cancellationToken);
            if (authorizations.Count < StoreValues.PruneBatch)
            {
                break;
            }
        }

        cache.Invalidate();
        return deleted;
    }

    public async ValueTask<long> RevokeAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        await Revoke(OidcStoreWrites.Matching<OidcToken>(subject, client, status, type), cancellationToken);

    public async ValueTask<long> RevokeByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        await Revoke(Filter.Eq(t => t.ApplicationId, identifier), cancellationToken);

    public async ValueTask<long> RevokeByAuthorizationIdAsync(string identifier, CancellationToken cancellationToken) =>
        await Revoke(Filter.Eq(t => t.AuthorizationId, identifier), cancellationToken);

    public async ValueTask<long> RevokeBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        await Revoke(Filter.Eq(t => t.Subject, subject), cancellationToken);

    public ValueTask SetApplicationIdAsync(OidcToken token, string? identifier, CancellationToken cancellationToken) => OidcStoreWrites.Set(() => token.ApplicationId = identifier);

    public ValueTask SetAuthorizationIdAsync(OidcToken token, string? identifier, CancellationToken cancellationToken) => OidcStoreWrites.Set(() => token.AuthorizationId = identifier);

    public ValueTask SetCreationDateAsync(OidcToken token, DateTimeOffset? date, CancellationToken cancellationToken) => OidcStoreWrites.Set(() => token.CreationDate = date);

    public ValueTask SetExpirationDateAsync(OidcToken token, DateTimeOffset? date, CancellationToken cancellationToken) => OidcStoreWrites.Set(() => token.ExpirationDate = date);

    public ValueTask SetPayloadAsync(OidcToken token, string? payload, CancellationToken cancellationToken) => OidcStoreWrites.Set(() => token.Payload = payload);

    public ValueTask SetPropertiesAsync(OidcToken token, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => token.Properties = StoreValues.WriteProperties(properties));

    public ValueTask SetRedemptionDateAsync(OidcToken token, DateTimeOffset? date, CancellationToken cancellationToken) => OidcStoreWrites.Set(() => token.RedemptionDate = date);

    public ValueTask SetReferenceIdAsync(OidcToken token, string? identifier, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => token.ReferenceId = string.IsNullOrEmpty(identifier) ? null : identifier);

    public ValueTask SetStatusAsync(OidcToken token, string? status, CancellationToken cancellationToken) => OidcStoreWrites.Set(() => token.Status = status);

    public ValueTask SetSubjectAsync(OidcToken token, string? subject, CancellationToken cancellationToken) => OidcStoreWrites.Set(() => token.Subject = subject);

    public ValueTask SetTypeAsync(OidcToken token, string? type, CancellationToken cancellationToken) => OidcStoreWrites.Set(() => token.Type = type);

    public ValueTask UpdateAsync(OidcToken token, CancellationToken cancellationToken) =>
        OidcStoreWrites.ReplaceAsync(Tokens, token, cache, "token", cancellationToken);

    private Task<long> Revoke(FilterDefinition<OidcToken> filter, CancellationToken cancellationToken) =>
        OidcStoreWrites.RevokeAsync(Tokens, filter, cache, cancellationToken);
}
