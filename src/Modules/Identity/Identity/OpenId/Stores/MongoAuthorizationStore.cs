using System.Collections.Immutable;
using System.Text.Json;
using MongoDB.Driver;
using MongoDB.Driver.Linq;
using OpenIddict.Abstractions;

namespace Monolith.Modules.Identity.OpenId.Stores;

/// <summary>OpenIddict's authorization store on <c>identity.authorizations</c>.</summary>
internal sealed class MongoAuthorizationStore(OidcDb db, OidcEntryCache cache) : IOpenIddictAuthorizationStore<OidcAuthorization>
{
    private static readonly FilterDefinitionBuilder<OidcAuthorization> Filter = Builders<OidcAuthorization>.Filter;

    private IMongoCollection<OidcAuthorization> Authorizations => db.Authorizations;

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken) =>
        await Authorizations.CountDocumentsAsync(FilterDefinition<OidcAuthorization>.Empty, cancellationToken: cancellationToken);

    public async ValueTask<long> CountAsync<TResult>(Func<IQueryable<OidcAuthorization>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        await query(Authorizations.AsQueryable()).LongCountAsync(cancellationToken);

    public async ValueTask CreateAsync(OidcAuthorization authorization, CancellationToken cancellationToken) =>
        await Authorizations.InsertOneAsync(authorization, cancellationToken: cancellationToken);

    public async ValueTask DeleteAsync(OidcAuthorization authorization, CancellationToken cancellationToken)
    {
        DeleteResult result;
        try
        {
            result = await Authorizations.DeleteOneAsync(
                a => a.Id == authorization.Id && a.ConcurrencyToken == authorization.ConcurrencyToken, cancellationToken);
        }
        finally
        {
            cache.Invalidate(); // after the write: a read racing it is not cached
        }

        if (result.DeletedCount == 0)
        {
            throw StoreValues.Conflict("authorization");
        }

        await db.Tokens.DeleteManyAsync(t => t.AuthorizationId == authorization.Id, cancellationToken);
    }

    public IAsyncEnumerable<OidcAuthorization> FindAsync(
        string? subject, string? client, string? status, string? type, ImmutableArray<string>? scopes, CancellationToken cancellationToken)
    {
        var filter = OidcStoreWrites.Matching<OidcAuthorization>(subject, client, status, type);
        if (scopes is { IsDefaultOrEmpty: false } wanted)
        {
            filter &= Filter.All(a => a.Scopes, wanted);
        }

        return StoreValues.Stream(Authorizations.Find(filter), cancellationToken);
    }

    public IAsyncEnumerable<OidcAuthorization> FindByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        StoreValues.Stream(Authorizations.Find(a => a.ApplicationId == identifier), cancellationToken);

    public async ValueTask<OidcAuthorization?> FindByIdAsync(string identifier, CancellationToken cancellationToken)
    {
        if (!StoreValues.IsObjectId(identifier))
        {
            return null;
        }

        if (cache.Get<OidcAuthorization>(identifier, a => a.Copy()) is { } cached)
        {
            return cached;
        }

        var generation = cache.Generation;
        var authorization = await Authorizations.Find(a => a.Id == identifier).FirstOrDefaultAsync(cancellationToken);
        cache.Set(identifier, authorization, generation, a => a.Copy());
        return authorization;
    }

    public IAsyncEnumerable<OidcAuthorization> FindBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        StoreValues.Stream(Authorizations.Find(a => a.Subject == subject), cancellationToken);

    public ValueTask<string?> GetApplicationIdAsync(OidcAuthorization authorization, CancellationToken cancellationToken) => new(authorization.ApplicationId);

    public async ValueTask<TResult?> GetAsync<TState, TResult>(
        Func<IQueryable<OidcAuthorization>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        await query(Authorizations.AsQueryable(), state).FirstOrDefaultAsync(cancellationToken);

    public ValueTask<DateTimeOffset?> GetCreationDateAsync(OidcAuthorization authorization, CancellationToken cancellationToken) => new(authorization.CreationDate);

    public ValueTask<string?> GetIdAsync(OidcAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Id);

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(OidcAuthorization authorization, CancellationToken cancellationToken) =>
        new(StoreValues.ReadProperties(authorization.Properties));

    public ValueTask<ImmutableArray<string>> GetScopesAsync(OidcAuthorization authorization, CancellationToken cancellationToken) =>
        new(StoreValues.Read(authorization.Scopes));

    public ValueTask<string?> GetStatusAsync(OidcAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Status);

    public ValueTask<string?> GetSubjectAsync(OidcAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Subject);

    public ValueTask<string?> GetTypeAsync(OidcAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Type);

    public ValueTask<OidcAuthorization> InstantiateAsync(CancellationToken cancellationToken) => new(new OidcAuthorization());

    public IAsyncEnumerable<OidcAuthorization> ListAsync(int? count, int? offset, CancellationToken cancellationToken) =>
        StoreValues.Stream(Authorizations.Find(FilterDefinition<OidcAuthorization>.Empty).SortBy(a => a.Id).Skip(offset).Limit(count), cancellationToken);

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(
        Func<IQueryable<OidcAuthorization>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        StoreValues.Stream(query(Authorizations.AsQueryable(), state), cancellationToken);

    /// <summary>
    /// Deletes, in bounded batches, authorizations created before <paramref name="threshold"/> that are no longer valid,
    /// and ad-hoc ones that have no token left.
    /// </summary>
    public async ValueTask<long> PruneAsync(DateTimeOffset threshold, CancellationToken cancellationToken)
    {
        var old = Filter.Lt(a => a.CreationDate, threshold);
        var deleted = await StoreValues.DeleteInBatchesAsync(Authorizations, old & Filter.Ne(a => a.Status, OpenIddictConstants.Statuses.Valid), cancellationToken);

        // Ad-hoc authorizations live as long as their tokens: one batch of candidates at a time, keep those still referenced.
        string? after = null;
        while (deleted < StoreValues.PruneMaxPerCall)
        {
            var page = old & Filter.Eq(a => a.Type, OpenIddictConstants.AuthorizationTypes.AdHoc);
            if (after is not null)
            {
                page &= Filter.Gt(a => a.Id, after);
            }

            var candidates = await Authorizations.Find(page).SortBy(a => a.Id).Limit(StoreValues.PruneBatch).Project(a => a.Id).ToListAsync(cancellationToken);
            if (candidates.Count == 0)
            {
                break;
            }

            after = candidates[^1];
            var referenced = await db.Tokens.Distinct(t => t.AuthorizationId, Builders<OidcToken>.Filter.In(t => t.AuthorizationId, candidates))
                .ToListAsync(cancellationToken);
            var orphans = candidates.Except(referenced.OfType<string>(), StringComparer.Ordinal).ToList();
            if (orphans.Count > 0)
            {
                deleted += (await Authorizations.DeleteManyAsync(Filter.In(a => a.Id, orphans), cancellationToken)).DeletedCount;
            }

            if (candidates.Count < StoreValues.PruneBatch)
            {
                break;
            }
        }

        cache.Invalidate();
        return deleted;
    }

    public async ValueTask<long> RevokeAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        await Revoke(OidcStoreWrites.Matching<OidcAuthorization>(subject, client, status, type), cancellationToken);

    public async ValueTask<long> RevokeByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        await Revoke(Filter.Eq(a => a.ApplicationId, identifier), cancellationToken);

    public async ValueTask<long> RevokeBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        await Revoke(Filter.Eq(a => a.Subject, subject), cancellationToken);

    public ValueTask SetApplicationIdAsync(OidcAuthorization authorization, string? identifier, CancellationToken cancellationToken)
    {
        authorization.ApplicationId = identifier;
        return ValueTask.CompletedTask;
    }

    public ValueTask SetCreationDateAsync(OidcAuthorization authorization, DateTimeOffset? date, CancellationToken cancellationToken)
    {
        authorization.CreationDate = date;
        return ValueTask.CompletedTask;
    }

    public ValueTask SetPropertiesAsync(OidcAuthorization authorization, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken)
    {
        authorization.Properties = StoreValues.WriteProperties(properties);
        return ValueTask.CompletedTask;
    }

    public ValueTask SetScopesAsync(OidcAuthorization authorization, ImmutableArray<string> scopes, CancellationToken cancellationToken)
    {
        authorization.Scopes = StoreValues.Write(scopes);
        return ValueTask.CompletedTask;
    }

    public ValueTask SetStatusAsync(OidcAuthorization authorization, string? status, CancellationToken cancellationToken)
    {
        authorization.Status = status;
        return ValueTask.CompletedTask;
    }

    public ValueTask SetSubjectAsync(OidcAuthorization authorization, string? subject, CancellationToken cancellationToken)
    {
        authorization.Subject = subject;
        return ValueTask.CompletedTask;
    }

    public ValueTask SetTypeAsync(OidcAuthorization authorization, string? type, CancellationToken cancellationToken)
    {
        authorization.Type = type;
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateAsync(OidcAuthorization authorization, CancellationToken cancellationToken) =>
        OidcStoreWrites.ReplaceAsync(Authorizations, authorization, cache, "authorization", cancellationToken);

    private Task<long> Revoke(FilterDefinition<OidcAuthorization> filter, CancellationToken cancellationToken) =>
        OidcStoreWrites.RevokeAsync(Authorizations, filter, cache, cancellationToken);
}
