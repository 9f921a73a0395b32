using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using MongoDB.Driver;
using MongoDB.Driver.Linq;
using OpenIddict.Abstractions;

namespace Monolith.Modules.Identity.OpenId.Stores;

/// <summary>OpenIddict's scope store on <c>identity.scopes</c>.</summary>
internal sealed class MongoScopeStore(OidcDb db) : IOpenIddictScopeStore<OidcScope>
{
    private IMongoCollection<OidcScope> Scopes => db.Scopes;

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken) =>
        await Scopes.CountDocumentsAsync(FilterDefinition<OidcScope>.Empty, cancellationToken: cancellationToken);

    public async ValueTask<long> CountAsync<TResult>(Func<IQueryable<OidcScope>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        await query(Scopes.AsQueryable()).LongCountAsync(cancellationToken);

    public async ValueTask CreateAsync(OidcScope scope, CancellationToken cancellationToken) =>
        await Scopes.InsertOneAsync(scope, cancellationToken: cancellationToken);

    public async ValueTask DeleteAsync(OidcScope scope, CancellationToken cancellationToken)
    {
        var result = await Scopes.DeleteOneAsync(s => s.Id == scope.Id && s.ConcurrencyToken == scope.ConcurrencyToken, cancellationToken);
        if (result.DeletedCount == 0)
        {
            throw StoreValues.Conflict("scope");
        }
    }

    public async ValueTask<OidcScope?> FindByIdAsync(string identifier, CancellationToken cancellationToken) =>
        StoreValues.IsObjectId(identifier)
            ? await Scopes.Find(s => s.Id == identifier).FirstOrDefaultAsync(cancellationToken)
            : null;

    public async ValueTask<OidcScope?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        await Scopes.Find(s => s.Name == name).FirstOrDefaultAsync(cancellationToken);

    public IAsyncEnumerable<OidcScope> FindByNamesAsync(ImmutableArray<string> names, CancellationToken cancellationToken) =>
        StoreValues.Stream(Scopes.Find(Builders<OidcScope>.Filter.In(s => s.Name, names)), cancellationToken);

    public IAsyncEnumerable<OidcScope> FindByResourceAsync(string resource, CancellationToken cancellationToken) =>
        StoreValues.Stream(Scopes.Find(Builders<OidcScope>.Filter.AnyEq(s => s.Resources, resource)), cancellationToken);

    public async ValueTask<TResult?> GetAsync<TState, TResult>(
        Func<IQueryable<OidcScope>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        await query(Scopes.AsQueryable(), state).FirstOrDefaultAsync(cancellationToken);

    public ValueTask<string?> GetDescriptionAsync(OidcScope scope, CancellationToken cancellationToken) => new(scope.Description);

    public ValueTask<ImmutableDictionary<CultureInfo, string>> GetDescriptionsAsync(OidcScope scope, CancellationToken cancellationToken) =>
        new(StoreValues.ReadCultures(scope.Descriptions));

    public ValueTask<string?> GetDisplayNameAsync(OidcScope scope, CancellationToken cancellationToken) => new(scope.DisplayName);

    public ValueTask<ImmutableDictionary<CultureInfo, string>> GetDisplayNamesAsync(OidcScope scope, CancellationToken cancellationToken) =>
        new(StoreValues.ReadCultures(scope.DisplayNames));

    public ValueTask<string?> GetIdAsync(OidcScope scope, CancellationToken cancellationToken) => new(scope.Id);

    public ValueTask<string?> GetNameAsync(OidcScope scope, CancellationToken cancellationToken) => new(scope.Name);

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(OidcScope scope, CancellationToken cancellationToken) =>
        new(StoreValues.ReadProperties(scope.Properties));

    public ValueTask<ImmutableArray<string>> GetResourcesAsync(OidcScope scope, CancellationToken cancellationToken) =>
        new(StoreValues.Read(scope.Resources));

    public ValueTask<OidcScope> InstantiateAsync(CancellationToken cancellationToken) => new(new OidcScope());

    public IAsyncEnumerable<OidcScope> ListAsync(int? count, int? offset, CancellationToken cancellationToken) =>
        StoreValues.Stream(Scopes.Find(FilterDefinition<OidcScope>.Empty).SortBy(s => s.Id).Skip(offset).Limit(count), cancellationToken);

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(
        Func<IQueryable<OidcScope>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        StoreValues.Stream(query(Scopes.AsQueryable(), state), cancellationToken);

    public ValueTask SetDescriptionAsync(OidcScope scope, string? description, CancellationToken cancellationToken) => OidcStoreWrites.Set(() => scope.Description = description);

    public ValueTask SetDescriptionsAsync(OidcScope scope, ImmutableDictionary<CultureInfo, string> descriptions, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => scope.Descriptions = StoreValues.WriteCultures(descriptions));

    public ValueTask SetDisplayNameAsync(OidcScope scope, string? name, CancellationToken cancellationToken) => OidcStoreWrites.Set(() => scope.DisplayName = name);

    public ValueTask SetDisplayNamesAsync(OidcScope scope, ImmutableDictionary<CultureInfo, string> names, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => scope.DisplayNames = StoreValues.WriteCultures(names));

    public ValueTask SetNameAsync(OidcScope scope, string? name, CancellationToken cancellationToken) => OidcStoreWrites.Set(() => scope.Name = name);

    public ValueTask SetPropertiesAsync(OidcScope scope, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => scope.Properties = StoreValues.WriteProperties(properties));

    public ValueTask SetResourcesAsync(OidcScope scope, ImmutableArray<string> resources, CancellationToken cancellationToken) =>
        OidcStoreWrites.Set(() => scope.Resources = StoreValues.Write(resources));

    public ValueTask UpdateAsync(OidcScope scope, CancellationToken cancellationToken) =>
        OidcStoreWrites.ReplaceAsync(Scopes, scope, cache: null, "scope", cancellationToken);
}
