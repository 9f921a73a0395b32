using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Identity.OpenId;
using Monolith.Shared.Infrastructure.Migrations;
using Monolith.Shared.Infrastructure.Mongo;

namespace Monolith.Modules.Identity.Migrations;

/// <summary>
/// Indexes of the OpenID Connect stores: unique client ids and scope names, unique reference ids among the tokens
/// that have one (partial), and the lookups OpenIddict makes by authorization, application, subject and status.
/// Numbered from 10 so user-account migrations (API keys...) can take 2–9 on their own branch.
/// </summary>
internal sealed class M010_OidcIndexes : IMigration
{
    public string Module => IdentityModule.Name;

    public int Version => 10;

    public string Description => "OpenID Connect indexes: unique client id, scope name and token reference id; token and authorization lookups";

    public async Task UpAsync(ModuleDatabase database, CancellationToken cancellationToken)
    {
        await database.Collection<BsonDocument>(OidcDb.ApplicationsCollection).Indexes.CreateOneAsync(
            new CreateIndexModel<BsonDocument>(new BsonDocument("clientId", 1), new CreateIndexOptions { Name = "clientId_unique", Unique = true }), cancellationToken: cancellationToken);
        await database.Collection<BsonDocument>(OidcDb.ScopesCollection).Indexes.CreateOneAsync(
            new CreateIndexModel<BsonDocument>(new BsonDocument("name", 1), new CreateIndexOptions { Name = "name_unique", Unique = true }), cancellationToken: cancellationToken);
        await database.Collection<BsonDocument>(OidcDb.AuthorizationsCollection).Indexes.CreateManyAsync(
        [
            new(new BsonDocument { { "applicationId", 1 }, { "subject", 1 }, { "status", 1 }, { "type", 1 } }, new CreateIndexOptions { Name = "application_subject_status_type" }),
            new(new BsonDocument { { "subject", 1 }, { "status", 1 } }, new CreateIndexOptions { Name = "subject_status" }),
            new(new BsonDocument("creationDate", 1), new CreateIndexOptions { Name = "creationDate" }),
        ], cancellationToken);
        await database.Collection<BsonDocument>(OidcDb.TokensCollection).Indexes.CreateManyAsync(
        [
            new(new BsonDocument("referenceId", 1), new CreateIndexOptions<BsonDocument>
            {
                Name = "referenceId_unique",
                Unique = true,
                PartialFilterExpression = new BsonDocument("referenceId", new BsonDocument("$type", "string")),
            }),
            new(new BsonDocument("authorizationId", 1), new CreateIndexOptions { Name = "authorizationId" }),
            new(new BsonDocument { { "applicationId", 1 }, { "subject", 1 }, { "status", 1 }, { "type", 1 } }, new CreateIndexOptions { Name = "application_subject_status_type" }),
            new(new BsonDocument { { "subject", 1 }, { "status", 1 } }, new CreateIndexOptions { Name = "subject_status" }),
            new(new BsonDocument("creationDate", 1), new CreateIndexOptions { Name = "creationDate" }),
        ], cancellationToken);
    }

    public async Task DownAsync(ModuleDatabase database, CancellationToken cancellationToken)
    {
        await database.Collection<BsonDocument>(OidcDb.ApplicationsCollection).Indexes.DropOneAsync("clientId_unique", cancellationToken);
        await database.Collection<BsonDocument>(OidcDb.ScopesCollection).Indexes.DropOneAsync("name_unique", cancellationToken);
        foreach (var name in new[] { "application_subject_status_type", "subject_status", "creationDate" })
        {
            await database.Collection<BsonDocument>(OidcDb.AuthorizationsCollection).Indexes.DropOneAsync(name, cancellationToken);
        }

        foreach (var name in new[] { "referenceId_unique", "authorizationId", "application_subject_status_type", "subject_status", "creationDate" })
        {
            await database.Collection<BsonDocument>(OidcDb.TokensCollection).Indexes.DropOneAsync(name, cancellationToken);
        }
    }
}
