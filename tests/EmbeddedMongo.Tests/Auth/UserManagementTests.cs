using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Auth;

/// <summary>createUser, usersInfo, updateUser and dropUser, and how users are stored in admin.system.users.</summary>
public sealed class UserManagementTests(AuthServerFixture fixture) : IClassFixture<AuthServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Users_are_stored_in_admin_system_users_as_SCRAM_keys_never_the_password()
    {
        var db = ServerFixture.UniqueDatabaseName("stored");
        await fixture.CreateUserAsync(db, "dave", "dave-secret", "read", new BsonDocument { { "role", "readWrite" }, { "db", "other" } });

        var stored = await fixture.Root.GetDatabase("admin").GetCollection<BsonDocument>("system.users")
            .Find(new BsonDocument("_id", db + ".dave")).SingleAsync(cancellationToken: Ct);

        Assert.Equal("dave", stored["user"].AsString);
        Assert.Equal(db, stored["db"].AsString);
        var scram = stored["credentials"]["SCRAM-SHA-256"].AsBsonDocument;
        Assert.Equal(15000, scram["iterationCount"].ToInt32());
        Assert.Equal(28, Convert.FromBase64String(scram["salt"].AsString).Length);
        Assert.Equal(32, Convert.FromBase64String(scram["storedKey"].AsString).Length);
        Assert.Equal(32, Convert.FromBase64String(scram["serverKey"].AsString).Length);
        Assert.DoesNotContain("dave-secret", stored.ToJson(), StringComparison.Ordinal);
        Assert.Equal(new BsonArray
        {
            new BsonDocument { { "role", "read" }, { "db", db } },
            new BsonDocument { { "role", "readWrite" }, { "db", "other" } },
        }, stored["roles"].AsBsonArray);
    }

    [Fact]
    public async Task UsersInfo_answers_one_user_a_list_or_the_whole_database_without_credentials_by_default()
    {
        var db = ServerFixture.UniqueDatabaseName("info");
        await fixture.CreateUserAsync(db, "u1", "pw1", "read");
        await fixture.CreateUserAsync(db, "u2", "pw2", "readWrite");
        await fixture.CreateUserAsync(db, "u3", "pw3", "dbOwner");
        var database = fixture.Root.GetDatabase(db);

        var one = await database.RunCommandAsync<BsonDocument>(new BsonDocument("usersInfo", "u1"), cancellationToken: Ct);
        var list = await database.RunCommandAsync<BsonDocument>(new BsonDocument("usersInfo", new BsonArray { "u1", new BsonDocument { { "user", "u3" }, { "db", db } } }), cancellationToken: Ct);
        var all = await database.RunCommandAsync<BsonDocument>(new BsonDocument("usersInfo", 1), cancellationToken: Ct);
        var withCredentials = await database.RunCommandAsync<BsonDocument>(new BsonDocument { { "usersInfo", "u2" }, { "showCredentials", true } }, cancellationToken: Ct);

        var u1 = Assert.Single(one["users"].AsBsonArray).AsBsonDocument;
        Assert.Equal(db + ".u1", u1["_id"].AsString);
        Assert.Equal(new BsonArray { "SCRAM-SHA-256" }, u1["mechanisms"].AsBsonArray);
        Assert.False(u1.Contains("credentials"));
        Assert.Equal(["u1", "u3"], list["users"].AsBsonArray.Select(u => u["user"].AsString));
        Assert.Equal(["u1", "u2", "u3"], all["users"].AsBsonArray.Select(u => u["user"].AsString));
        Assert.True(withCredentials["users"][0]["credentials"].AsBsonDocument.Contains("SCRAM-SHA-256"));
    }

    [Fact]
    public async Task A_user_may_ask_usersInfo_about_itself_only()
    {
        var db = ServerFixture.UniqueDatabaseName("self");
        await fixture.CreateUserAsync(db, "me", "me-pw", "read");
        await fixture.CreateUserAsync(db, "them", "them-pw", "read");
        using var client = fixture.Client("me", "me-pw", authSource: db);

        var self = await client.GetDatabase(db).RunCommandAsync<BsonDocument>(new BsonDocument("usersInfo", "me"), cancellationToken: Ct);
        var other = await Assert.ThrowsAsync<MongoCommandException>(() =>
            client.GetDatabase(db).RunCommandAsync<BsonDocument>(new BsonDocument("usersInfo", "them"), cancellationToken: Ct));

        Assert.Equal("me", self["users"][0]["user"].AsString);
        Assert.Equal(13, other.Code);
    }

    [Fact]
    public async Task DropUser_removes_the_user_so_it_can_no_longer_authenticate()
    {
        var db = ServerFixture.UniqueDatabaseName("drop");
        await fixture.CreateUserAsync(db, "gone", "gone-pw", "read");

        await fixture.Root.GetDatabase(db).RunCommandAsync<BsonDocument>(new BsonDocument("dropUser", "gone"), cancellationToken: Ct);
        var again = await Assert.ThrowsAsync<MongoCommandException>(() =>
            fixture.Root.GetDatabase(db).RunCommandAsync<BsonDocument>(new BsonDocument("dropUser", "gone"), cancellationToken: Ct));
        var info = await fixture.Root.GetDatabase(db).RunCommandAsync<BsonDocument>(new BsonDocument("usersInfo", "gone"), cancellationToken: Ct);
        using var client = fixture.Client("gone", "gone-pw", authSource: db);
        var login = await Assert.ThrowsAsync<MongoAuthenticationException>(() =>
            client.GetDatabase(db).RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: Ct));

        Assert.Equal(11, again.Code);
        Assert.Equal("UserNotFound", again.CodeName);
        Assert.Empty(info["users"].AsBsonArray);
        Assert.NotNull(login);
    }

    [Fact]
    public async Task UpdateUser_changes_the_password_and_the_roles()
    {
        var db = ServerFixture.UniqueDatabaseName("update");
        await fixture.CreateUserAsync(db, "eve", "old-pw", "read");

        await fixture.Root.GetDatabase(db).RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "updateUser", "eve" }, { "pwd", "new-pw" }, { "roles", new BsonArray { "readWrite" } },
        }, cancellationToken: Ct);
        using var oldClient = fixture.Client("eve", "old-pw", authSource: db);
        using var newClient = fixture.Client("eve", "new-pw", authSource: db);

        await Assert.ThrowsAsync<MongoAuthenticationException>(() =>
            oldClient.GetDatabase(db).RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: Ct));
        await newClient.GetDatabase(db).GetCollection<BsonDocument>("items").InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: Ct);
    }

    [Fact]
    public async Task CreateUser_refuses_a_duplicate_an_unknown_role_and_a_missing_password()
    {
        var db = ServerFixture.UniqueDatabaseName("invalid");
        await fixture.CreateUserAsync(db, "dup", "pw", "read");
        var database = fixture.Root.GetDatabase(db);

        var duplicate = await Assert.ThrowsAsync<MongoCommandException>(() => fixture.CreateUserAsync(db, "dup", "pw", "read"));
        var unknownRole = await Assert.ThrowsAsync<MongoCommandException>(() => fixture.CreateUserAsync(db, "x", "pw", "superhero"));
        var anyDbRoleElsewhere = await Assert.ThrowsAsync<MongoCommandException>(() => fixture.CreateUserAsync(db, "y", "pw", "root"));
        var noPassword = await Assert.ThrowsAsync<MongoCommandException>(() => database.RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "createUser", "z" }, { "roles", new BsonArray() },
        }, cancellationToken: Ct));

        Assert.Equal(51003, duplicate.Code);
        Assert.Equal($"User \"dup@{db}\" already exists", duplicate.ErrorMessage);
        Assert.Equal(31, unknownRole.Code);
        Assert.Equal(31, anyDbRoleElsewhere.Code);
        Assert.Equal(2, noPassword.Code);
    }
}
