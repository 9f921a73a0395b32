using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Auth;

/// <summary>With auth on and no user yet, a loopback client may create the first user, and only that.</summary>
public sealed class LocalhostExceptionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Loopback_client_creates_the_first_user_then_the_exception_closes()
    {
        await using var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { Port = 0, Auth = true }, Ct);
        using var anonymous = ServerFixture.CreateClient(server.ConnectionString);
        var admin = anonymous.GetDatabase("admin");

        var find = await Assert.ThrowsAsync<MongoCommandException>(() =>
            admin.GetCollection<BsonDocument>("x").Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(cancellationToken: Ct));
        var weakFirstUser = await Assert.ThrowsAsync<MongoCommandException>(() => admin.RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "createUser", "weak" }, { "pwd", "pw" }, { "roles", new BsonArray { "read" } },
        }, cancellationToken: Ct));
        await admin.RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "createUser", "admin" }, { "pwd", "admin-pw" }, { "roles", new BsonArray { "userAdminAnyDatabase" } },
        }, cancellationToken: Ct);
        var secondUser = await Assert.ThrowsAsync<MongoCommandException>(() => admin.RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "createUser", "another" }, { "pwd", "pw" }, { "roles", new BsonArray { "root" } },
        }, cancellationToken: Ct));
        using var first = ServerFixture.CreateClient(
            $"mongodb://admin:admin-pw@127.0.0.1:{server.Port}/?directConnection=true");
        await first.GetDatabase("app").RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "createUser", "app" }, { "pwd", "app-pw" }, { "roles", new BsonArray { "readWrite" } },
        }, cancellationToken: Ct);

        Assert.Equal(13, find.Code);
        Assert.Equal(13, weakFirstUser.Code);
        Assert.Equal(13, secondUser.Code);
        Assert.Equal("Command createUser requires authentication", secondUser.ErrorMessage);
    }

    [Fact]
    public async Task Without_auth_everything_answers_and_users_can_still_be_created()
    {
        await using var server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { Port = 0 }, Ct);
        using var client = ServerFixture.CreateClient(server.ConnectionString);

        await client.GetDatabase("app").GetCollection<BsonDocument>("x").InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: Ct);
        await client.GetDatabase("app").RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "createUser", "u" }, { "pwd", "pw" }, { "roles", new BsonArray { "read" } },
        }, cancellationToken: Ct);
        using var authenticated = ServerFixture.CreateClient($"mongodb://u:pw@127.0.0.1:{server.Port}/?directConnection=true&authSource=app");

        var count = await authenticated.GetDatabase("app").GetCollection<BsonDocument>("x").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct);
        Assert.Equal(1, count);
    }
}
