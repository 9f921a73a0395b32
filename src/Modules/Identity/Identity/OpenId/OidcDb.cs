using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using Monolith.Modules.Identity.OpenId.Stores;
using Monolith.Shared.Infrastructure.Mongo;

namespace Monolith.Modules.Identity.OpenId;

/// <summary>The OpenID Connect server's collections: <c>identity.applications</c>, <c>.authorizations</c>, <c>.scopes</c>, <c>.tokens</c>.</summary>
internal sealed class OidcDb([FromKeyedServices(IdentityModule.Name)] ModuleDatabase database)
{
    public const string ApplicationsCollection = "applications";
    public const string AuthorizationsCollection = "authorizations";
    public const string ScopesCollection = "scopes";
    public const string TokensCollection = "tokens";

    public IMongoCollection<OidcApplication> Applications { get; } = database.Collection<OidcApplication>(ApplicationsCollection);

    public IMongoCollection<OidcAuthorization> Authorizations { get; } = database.Collection<OidcAuthorization>(AuthorizationsCollection);

    public IMongoCollection<OidcScope> Scopes { get; } = database.Collection<OidcScope>(ScopesCollection);

    public IMongoCollection<OidcToken> Tokens { get; } = database.Collection<OidcToken>(TokensCollection);
}
