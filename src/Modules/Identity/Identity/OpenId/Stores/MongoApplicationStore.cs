using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using MongoDB.Driver;
using MongoDB.Driver.Linq;
using OpenIddict.Abstractions;

namespace Monolith.Modules.Identity.OpenId.Stores;

/// <summary>OpenIddict's application (client) store on <c>identity.applications</c>.</summary>
internal sealed class MongoApplicationStore(OidcDb db, OidcEntryCache cache) : IOpenIddictApplicationStore<OidcApplication>
{
    private IMongoCollection<OidcApplication> Applications => db.Applications;

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken) =>
        await Applications.CountDocumentsAsync(FilterDefinition<OidcApplication>.Empty, cancellationToken: cancellationToken);

    public async ValueTask<long> CountAsync<TResult>(Func<IQueryable<OidcApplication>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        await query(Applications.AsQueryable()).LongCountAsync(cancellationToken);

    public async ValueTask CreateAsync(OidcApplication application, CancellationToken cancellationToken) =>
        await Applications.InsertOneAsync(application, cancellationToken: cancellationToken);

    public async ValueTask DeleteAsync(OidcApplication application, CancellationToken cancellationToken)
    {
        var result = await Applications.DeleteOneAsync(
            a => a.Id == application.Id && a.ConcurrencyToken == application.ConcurrencyToken, cancellationToken);
        if (result.DeletedCount == 0)
        {
            throw StoreValues.Conflict("application");
        }

        // Its authorizations and tokens go with it (OpenIddict's stores do the same).
        var authorizationIds = await db.Authorizations.Find(a => a.ApplicationId == application.Id)
            .Project(a => a.Id).ToListAsync(cancellationToken);
        await db.Tokens.DeleteManyAsync(t => t.ApplicationId == application.Id, cancellationToken);
        if (authorizationIds.Count > 0)
        {
            await db.Tokens.DeleteManyAsync(Builders<OidcToken>.Filter.In(t => t.AuthorizationId, authorizationIds), cancellationToken);
        }

        await db.Authorizations.DeleteManyAsync(a => a.ApplicationId == application.Id, cancellationToken);
        cache.Invalidate();
    }

    public async ValueTask<OidcApplication?> FindByIdAsync(string identifier, CancellationToken cancellationToken) =>
        StoreValues.IsObjectId(identifier)
            ? await Applications.Find(a => a.Id == identifier).FirstOrDefaultAsync(cancellationToken)
            : null;

    public async ValueTask<OidcApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken) =>
        await Applications.Find(a => a.ClientId == identifier).FirstOrDefaultAsync(cancellationToken);

    public IAsyncEnumerable<OidcApplication> FindByPostLogoutRedirectUriAsync(string uri, CancellationToken cancellationToken) =>
        StoreValues.Stream(Applications.Find(Builders<OidcApplication>.Filter.AnyEq(a => a.PostLogoutRedirectUris, uri)), cancellationToken);

    public IAsyncEnumerable<OidcApplication> FindByRedirectUriAsync(string uri, CancellationToken cancellationToken) =>
        StoreValues.Stream(Applications.Find(Builders<OidcApplication>.Filter.AnyEq(a => a.RedirectUris, uri)), cancellationToken);

    public async ValueTask<TResult?> GetAsync<TState, TResult>(
        Func<IQueryable<OidcApplication>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        await query(Applications.AsQueryable(), state).FirstOrDefaultAsync(cancellationToken);

    public ValueTask<string?> GetApplicationTypeAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.ApplicationType);

    public ValueTask<string?> GetClientIdAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.ClientId);

    public ValueTask<string?> GetClientSecretAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.ClientSecret);

    public ValueTask<string?> GetClientTypeAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.ClientType);

    public ValueTask<string?> GetConsentTypeAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.ConsentType);

    public ValueTask<string?> GetDisplayNameAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.DisplayName);

    public ValueTask<ImmutableDictionary<CultureInfo, string>> GetDisplayNamesAsync(OidcApplication application, CancellationToken cancellationToken) =>
        new(StoreValues.ReadCultures(application.DisplayNames));

    public ValueTask<string?> GetIdAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.Id);

    /// <summary>Client assertion keys (private_key_jwt) are not offered; no client has any.</summary>
    public ValueTask<JsonWebKeySet?> GetJsonWebKeySetAsync(OidcApplication application, CancellationToken cancellationToken) => new((JsonWebKeySet?)null);

    public ValueTask<ImmutableArray<string>> GetPermissionsAsync(OidcApplication application, CancellationToken cancellationToken) =>
        new(StoreValues.Read(application.Permissions));

    public ValueTask<ImmutableArray<string>> GetPostLogoutRedirectUrisAsync(OidcApplication application, CancellationToken cancellationToken) =>
        new(StoreValues.Read(application.PostLogoutRedirectUris));

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(OidcApplication application, CancellationToken cancellationToken) =>
        new(StoreValues.ReadProperties(application.Properties));

    public ValueTask<ImmutableArray<string>> GetRedirectUrisAsync(OidcApplication application, CancellationToken cancellationToken) =>
        new(StoreValues.Read(application.RedirectUris));

    public ValueTask<ImmutableArray<string>> GetRequirementsAsync(OidcApplication application, CancellationToken cancellationToken) =>
        new(StoreValues.Read(application.Requirements));

    public ValueTask<ImmutableDictionary<string, string>> GetSettingsAsync(OidcApplication application, CancellationToken cancellationToken) =>
        new(application.Settings.ToImmutableDictionary(StringComparer.Ordinal));

    public ValueTask<OidcApplication> InstantiateAsync(CancellationToken cancellationToken) => new(new OidcApplication());

    public IAsyncEnumerable<OidcApplication> ListAsync(int? count, int? offset, CancellationToken cancellationToken)
    {
        var find = Applications.Find(FilterDefinition<OidcApplication>.Empty).SortBy(a => a.Id).Skip(offset).Limit(count);
        return StoreValues.Stream(find, cancellationToken);
    }

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(
        Func<IQueryable<OidcApplication>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        StoreValues.Stream(query(Applications.AsQueryable(), state), cancellationToken);

    public ValueTask SetApplicationTypeAsync(OidcApplication application, string? type, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => application.ApplicationType = type);

    public ValueTask SetClientIdAsync(OidcApplication application, string? identifier, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => application.ClientId = identifier);

    public ValueTask SetClientSecretAsync(OidcApplication application, string? secret, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => application.ClientSecret = secret);

    public ValueTask SetClientTypeAsync(OidcApplication application, string? type, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => application.ClientType = type);

    public ValueTask SetConsentTypeAsync(OidcApplication application, string? type, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => application.ConsentType = type);

    public ValueTask SetDisplayNameAsync(OidcApplication application, string? name, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => application.DisplayName = name);

    public ValueTask SetDisplayNamesAsync(OidcApplication application, ImmutableDictionary<CultureInfo, string> names, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => application.DisplayNames = StoreValues.WriteCultures(names));

    public ValueTask SetJsonWebKeySetAsync(OidcApplication application, JsonWebKeySet? set, CancellationToken cancellationToken) =>
        set is null || set.Keys.Count == 0
            ? ValueTask.CompletedTask
            : throw new NotSupportedException("Client assertion keys (private_key_jwt) are not supported: use a client secret.");

    public ValueTask SetPermissionsAsync(OidcApplication application, ImmutableArray<string> permissions, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => application.Permissions = StoreValues.Write(permissions));

    public ValueTask SetPostLogoutRedirectUrisAsync(OidcApplication application, ImmutableArray<string> uris, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => application.PostLogoutRedirectUris = StoreValues.Write(uris));

    public ValueTask SetPropertiesAsync(OidcApplication application, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => application.Properties = StoreValues.WriteProperties(properties));

    public ValueTask SetRedirectUrisAsync(OidcApplication application, ImmutableArray<string> uris, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => application.RedirectUris = StoreValues.Write(uris));

    public ValueTask SetRequirementsAsync(OidcApplication application, ImmutableArray<string> requirements, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => application.Requirements = StoreValues.Write(requirements));

    public ValueTask SetSettingsAsync(OidcApplication application, ImmutableDictionary<string, string> settings, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => application.Settings = settings.ToDictionary(StringComparer.Ordinal));

    public ValueTask UpdateAsync(OidcApplication application, CancellationToken cancellationToken) =>
        OidcStoreWrites.ReplaceAsync(Applications, application, cache: null, "application", cancellationToken);
}
