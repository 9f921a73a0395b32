using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Host.Tests.Support;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Monolith.Host.Tests.Identity;

/// <summary>The MongoDB stores behind OpenIddict's managers: concurrency, bulk revocation, pruning, indexes.</summary>
public sealed class OidcStoreTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    private T Manager<T>(AsyncServiceScope scope) where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

    [Fact]
    public async Task A_second_application_with_the_same_client_id_is_refused()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var applications = Manager<IOpenIddictApplicationManager>(scope);
        var clientId = "dup-" + Guid.NewGuid().ToString("N");
        await applications.CreateAsync(new OpenIddictApplicationDescriptor { ClientId = clientId, ClientType = ClientTypes.Public }, ct);

        await Assert.ThrowsAsync<OpenIddictExceptions.ValidationException>(async () =>
            await applications.CreateAsync(new OpenIddictApplicationDescriptor { ClientId = clientId, ClientType = ClientTypes.Public }, ct));

        // The unique index holds even for writers that skip the manager's check (or race it).
        var e = await Assert.ThrowsAsync<MongoWriteException>(async () => await app.Database.GetCollection<BsonDocument>("identity.applications")
            .InsertOneAsync(new BsonDocument("clientId", clientId), cancellationToken: ct));
        Assert.Equal(ServerErrorCategory.DuplicateKey, e.WriteError.Category);
    }

    [Fact]
    public async Task Updating_a_stale_copy_throws_a_concurrency_exception()
    {
        string id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var applications = Manager<IOpenIddictApplicationManager>(scope);
            var created = await applications.CreateAsync(new OpenIddictApplicationDescriptor { ClientId = "cc-" + Guid.NewGuid().ToString("N"), ClientType = ClientTypes.Public, DisplayName = "v1" }, ct);
            id = (await applications.GetIdAsync(created, ct))!;
        }

        await using var first = app.Services.CreateAsyncScope();
        await using var second = app.Services.CreateAsyncScope();
        var a = Manager<IOpenIddictApplicationManager>(first);
        var b = Manager<IOpenIddictApplicationManager>(second);
        var copyA = (await a.FindByIdAsync(id, ct))!;
        var copyB = (await b.FindByIdAsync(id, ct))!;

        var descriptorA = new OpenIddictApplicationDescriptor();
        await a.PopulateAsync(descriptorA, copyA, ct);
        descriptorA.DisplayName = "v2";
        await a.UpdateAsync(copyA, descriptorA, ct);

        var descriptorB = new OpenIddictApplicationDescriptor();
        await b.PopulateAsync(descriptorB, copyB, ct);
        descriptorB.DisplayName = "v3";
        await Assert.ThrowsAsync<OpenIddictExceptions.ConcurrencyException>(async () => await b.UpdateAsync(copyB, descriptorB, ct));

        await using var check = app.Services.CreateAsyncScope();
        var stored = await Manager<IOpenIddictApplicationManager>(check).FindByIdAsync(id, ct);
        Assert.Equal("v2", await Manager<IOpenIddictApplicationManager>(check).GetDisplayNameAsync(stored!, ct));
    }

    [Fact]
    public async Task Revoking_by_authorization_subject_or_application_revokes_every_matching_token()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var tokens = Manager<IOpenIddictTokenManager>(scope);
        var authorizations = Manager<IOpenIddictAuthorizationManager>(scope);
        var subject = "user-" + Guid.NewGuid().ToString("N");
        var applicationId = ObjectId.GenerateNewId().ToString();
        var authorization = await authorizations.CreateAsync(new OpenIddictAuthorizationDescriptor
        {
            Subject = subject, ApplicationId = applicationId, Status = Statuses.Valid, Type = AuthorizationTypes.Permanent, CreationDate = DateTimeOffset.UtcNow,
        }, ct);
        var authorizationId = (await authorizations.GetIdAsync(authorization, ct))!;
        for (var i = 0; i < 3; i++)
        {
            await tokens.CreateAsync(Token(subject, applicationId, authorizationId), ct);
        }

        var other = await tokens.CreateAsync(Token(subject, applicationId, null), ct);

        Assert.Equal(3, await tokens.RevokeByAuthorizationIdAsync(authorizationId, ct));
        Assert.True(await tokens.HasStatusAsync(other, Statuses.Valid, ct));
        Assert.Equal(1, await tokens.RevokeBySubjectAsync(subject, ct));
        Assert.Equal(0, await tokens.RevokeByApplicationIdAsync(applicationId, ct));
        await foreach (var token in tokens.FindBySubjectAsync(subject, ct))
        {
            Assert.Equal(Statuses.Revoked, await tokens.GetStatusAsync(token, ct));
        }

        Assert.Equal(1, await authorizations.RevokeBySubjectAsync(subject, ct));
        await using var check = app.Services.CreateAsyncScope(); // the managers cache entities per scope
        var fresh = Manager<IOpenIddictAuthorizationManager>(check);
        Assert.True(await fresh.HasStatusAsync((await fresh.FindByIdAsync(authorizationId, ct))!, Statuses.Revoked, ct));
    }

    [Fact]
    public async Task Pruning_removes_expired_and_invalid_tokens_and_orphaned_authorizations_only()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var tokens = Manager<IOpenIddictTokenManager>(scope);
        var authorizations = Manager<IOpenIddictAuthorizationManager>(scope);
        var subject = "prune-" + Guid.NewGuid().ToString("N");
        var old = DateTimeOffset.UtcNow.AddDays(-30);

        var expired = await tokens.CreateAsync(Token(subject, null, null, created: old, expires: old.AddHours(1)), ct);
        var redeemed = await tokens.CreateAsync(Token(subject, null, null, created: old, status: Statuses.Redeemed), ct);
        var alive = await tokens.CreateAsync(Token(subject, null, null, created: old), ct);
        var recentRevoked = await tokens.CreateAsync(Token(subject, null, null, status: Statuses.Revoked), ct);
        var revokedAuthorization = await authorizations.CreateAsync(new OpenIddictAuthorizationDescriptor
        {
            Subject = subject, Status = Statuses.Revoked, Type = AuthorizationTypes.Permanent, CreationDate = old,
        }, ct);
        var underRevoked = await tokens.CreateAsync(Token(subject, null, (await authorizations.GetIdAsync(revokedAuthorization, ct))!, created: old), ct);
        var orphanAdHoc = await authorizations.CreateAsync(new OpenIddictAuthorizationDescriptor
        {
            Subject = subject, Status = Statuses.Valid, Type = AuthorizationTypes.AdHoc, CreationDate = old,
        }, ct);
        var usedAdHoc = await authorizations.CreateAsync(new OpenIddictAuthorizationDescriptor
        {
            Subject = subject, Status = Statuses.Valid, Type = AuthorizationTypes.AdHoc, CreationDate = old,
        }, ct);
        var keep = await tokens.CreateAsync(Token(subject, null, (await authorizations.GetIdAsync(usedAdHoc, ct))!, created: old), ct);

        var threshold = DateTimeOffset.UtcNow.AddDays(-1);
        await tokens.PruneAsync(threshold, ct);
        await authorizations.PruneAsync(threshold, ct);

        await using var check = app.Services.CreateAsyncScope(); // the managers cache entities per scope
        async Task<bool> TokenExists(object t) =>
            await Manager<IOpenIddictTokenManager>(check).FindByIdAsync((await tokens.GetIdAsync(t, ct))!, ct) is not null;
        async Task<bool> AuthorizationExists(object a) =>
            await Manager<IOpenIddictAuthorizationManager>(check).FindByIdAsync((await authorizations.GetIdAsync(a, ct))!, ct) is not null;
        Assert.False(await TokenExists(expired));
        Assert.False(await TokenExists(redeemed));
        Assert.False(await TokenExists(underRevoked));
        Assert.True(await TokenExists(alive));
        Assert.True(await TokenExists(recentRevoked));
        Assert.True(await TokenExists(keep));
        Assert.False(await AuthorizationExists(revokedAuthorization));
        Assert.False(await AuthorizationExists(orphanAdHoc));
        Assert.True(await AuthorizationExists(usedAdHoc));
    }

    [Fact]
    public async Task Reference_ids_are_unique_among_the_tokens_that_have_one()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var tokens = Manager<IOpenIddictTokenManager>(scope);
        await tokens.CreateAsync(Token("s", null, null), ct);
        await tokens.CreateAsync(Token("s", null, null), ct); // no reference id: both fine

        var reference = Guid.NewGuid().ToString("N");
        var first = Token("s", null, null);
        first.ReferenceId = reference;
        await tokens.CreateAsync(first, ct);
        var found = await tokens.FindByReferenceIdAsync(reference, ct);
        Assert.NotNull(found);
        var second = Token("s", null, null);
        second.ReferenceId = reference;
        await Assert.ThrowsAsync<OpenIddictExceptions.ValidationException>(async () => await tokens.CreateAsync(second, ct));

        var raw = app.Database.GetCollection<BsonDocument>("identity.tokens");
        var rawReference = "raw-" + reference;
        await raw.InsertManyAsync([new BsonDocument("subject", "raw"), new BsonDocument("subject", "raw"), new BsonDocument { { "subject", "raw" }, { "referenceId", rawReference } }], cancellationToken: ct);
        var e = await Assert.ThrowsAsync<MongoWriteException>(async () =>
            await raw.InsertOneAsync(new BsonDocument { { "subject", "raw" }, { "referenceId", rawReference } }, cancellationToken: ct));
        Assert.Equal(ServerErrorCategory.DuplicateKey, e.WriteError.Category);
    }

    private static OpenIddictTokenDescriptor Token(
        string subject, string? applicationId, string? authorizationId, DateTimeOffset? created = null, DateTimeOffset? expires = null, string status = Statuses.Valid) =>
        new()
        {
            Subject = subject,
            ApplicationId = applicationId,
            AuthorizationId = authorizationId,
            CreationDate = created ?? DateTimeOffset.UtcNow,
            ExpirationDate = expires ?? DateTimeOffset.UtcNow.AddHours(1),
            Status = status,
            Type = TokenTypeHints.RefreshToken,
        };
}

/// <summary>The recurring prune job, on a short interval.</summary>
public sealed class OidcPruneJobTests(OidcPruneJobTests.App app) : IClassFixture<OidcPruneJobTests.App>
{
    public sealed class App : CatalogApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Identity:Prune:Interval"] = "00:00:00.200",
            ["Identity:Prune:MinimumAge"] = "01:00:00",
        };
    }

    [Fact]
    public async Task The_prune_job_deletes_expired_tokens_on_its_interval()
    {
        var ct = TestContext.Current.CancellationToken;
        string id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
            var old = DateTimeOffset.UtcNow.AddDays(-2);
            var token = await tokens.CreateAsync(new OpenIddictTokenDescriptor
            {
                Subject = "job", CreationDate = old, ExpirationDate = old.AddHours(1), Status = Statuses.Valid, Type = TokenTypeHints.RefreshToken,
            }, ct);
            id = (await tokens.GetIdAsync(token, ct))!;
        }

        var raw = app.Database.GetCollection<BsonDocument>("identity.tokens");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await raw.CountDocumentsAsync(new BsonDocument("_id", ObjectId.Parse(id)), cancellationToken: ct) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the prune job did not delete the expired token within 20 s");
            await Task.Delay(100, ct);
        }

        Assert.Contains(app.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Pruned", StringComparison.Ordinal));
    }
}
