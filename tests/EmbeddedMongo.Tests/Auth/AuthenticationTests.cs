using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Auth;

/// <summary>SCRAM-SHA-256 through MongoDB.Driver: right and wrong credentials, and what an anonymous client may do.</summary>
public sealed class AuthenticationTests(AuthServerFixture fixture) : IClassFixture<AuthServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Right_password_authenticates_and_connectionStatus_names_the_user()
    {
        await fixture.CreateUserAsync("shop", "alice", "alice-pw", "readWrite");
        using var client = fixture.Client("alice", "alice-pw", authSource: "shop");

        var status = await client.GetDatabase("shop").RunCommandAsync<BsonDocument>(new BsonDocument("connectionStatus", 1), cancellationToken: Ct);

        var users = status["authInfo"]["authenticatedUsers"].AsBsonArray;
        Assert.Equal(new BsonDocument { { "user", "alice" }, { "db", "shop" } }, Assert.Single(users));
        Assert.Contains(new BsonDocument { { "role", "readWrite" }, { "db", "shop" } }, status["authInfo"]["authenticatedUserRoles"].AsBsonArray);
    }

    [Fact]
    public async Task Explicit_SCRAM_SHA_256_mechanism_authenticates()
    {
        await fixture.CreateUserAsync("admin", "explicit", "explicit-pw", "readAnyDatabase");
        using var client = ServerFixture.CreateClient(
            $"mongodb://explicit:explicit-pw@127.0.0.1:{fixture.Server.Port}/?directConnection=true&authMechanism=SCRAM-SHA-256");

        var names = await (await client.ListDatabaseNamesAsync(cancellationToken: Ct)).ToListAsync(cancellationToken: Ct);

        Assert.Contains("admin", names);
    }

    [Fact]
    public async Task Non_ascii_password_is_SASLprepped_like_mongod()
    {
        // U+00A0 (no-break space) maps to a plain space and U+00AD (soft hyphen) to nothing, on both sides.
        await fixture.CreateUserAsync("admin", "unicode", "p\u00A0w\u00ADd\u00E9", "read");
        using var client = fixture.Client("unicode", "p w" + "d\u00E9");

        var reply = await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("connectionStatus", 1), cancellationToken: Ct);

        Assert.Equal("unicode", reply["authInfo"]["authenticatedUsers"][0]["user"].AsString);
    }

    [Fact]
    public async Task Wrong_password_fails_with_AuthenticationFailed()
    {
        await fixture.CreateUserAsync("admin", "bob", "bob-pw", "read");
        using var client = fixture.Client("bob", "not-bob-pw");

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() =>
            client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: Ct));

        var inner = Assert.IsType<MongoCommandException>(error.InnerException);
        Assert.Equal(18, inner.Code);
        Assert.Equal("Authentication failed.", inner.ErrorMessage);
    }

    [Fact]
    public async Task Unknown_user_fails_exactly_like_a_wrong_password()
    {
        using var client = fixture.Client("nobody", "whatever");

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() =>
            client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: Ct));

        var inner = Assert.IsType<MongoCommandException>(error.InnerException);
        Assert.Equal(18, inner.Code);
        Assert.Equal("Authentication failed.", inner.ErrorMessage);
    }

    [Fact]
    public async Task Without_credentials_only_the_handshake_commands_answer()
    {
        using var client = fixture.Anonymous();
        var admin = client.GetDatabase("admin");

        await admin.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: Ct);
        await admin.RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1), cancellationToken: Ct);
        await admin.RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: Ct);
        var status = await admin.RunCommandAsync<BsonDocument>(new BsonDocument("connectionStatus", 1), cancellationToken: Ct);
        var find = await Assert.ThrowsAsync<MongoCommandException>(() =>
            client.GetDatabase("shop").GetCollection<BsonDocument>("orders").Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(cancellationToken: Ct));
        var list = await Assert.ThrowsAsync<MongoCommandException>(() => client.ListDatabaseNamesAsync(cancellationToken: Ct));

        Assert.Empty(status["authInfo"]["authenticatedUsers"].AsBsonArray);
        Assert.Equal(13, find.Code);
        Assert.Equal("Command find requires authentication", find.ErrorMessage);
        Assert.Equal(13, list.Code);
        Assert.Equal("Command listDatabases requires authentication", list.ErrorMessage);
    }

    [Fact]
    public async Task Logout_takes_the_rights_away_on_that_connection()
    {
        // One connection in the pool, so logout and the next command share it.
        using var single = ServerFixture.CreateClient(
            $"mongodb://root:root-pw@127.0.0.1:{fixture.Server.Port}/?directConnection=true&maxPoolSize=1");
        var db = single.GetDatabase("admin");
        await db.RunCommandAsync<BsonDocument>(new BsonDocument("logout", 1), cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<MongoCommandException>(() => db.RunCommandAsync<BsonDocument>(new BsonDocument("listDatabases", 1), cancellationToken: Ct));

        Assert.Equal(13, error.Code);
    }

    [Fact]
    public async Task Hello_answers_a_speculative_saslStart_and_the_SCRAM_mechanism()
    {
        using var client = fixture.Anonymous();
        var hello = new BsonDocument
        {
            { "hello", 1 },
            { "saslSupportedMechs", "admin.root" },
            { "speculativeAuthenticate", new BsonDocument
                {
                    { "saslStart", 1 }, { "mechanism", "SCRAM-SHA-256" }, { "db", "admin" },
                    { "payload", new BsonBinaryData("n,,n=root,r=clientnonce"u8.ToArray()) },
                    { "options", new BsonDocument("skipEmptyExchange", true) },
                }
            },
        };

        var reply = await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(hello, cancellationToken: Ct);

        Assert.Equal(new BsonArray { "SCRAM-SHA-256" }, reply["saslSupportedMechs"].AsBsonArray);
        var speculative = reply["speculativeAuthenticate"].AsBsonDocument;
        Assert.False(speculative["done"].AsBoolean);
        var serverFirst = System.Text.Encoding.UTF8.GetString(speculative["payload"].AsByteArray);
        Assert.StartsWith("r=clientnonce", serverFirst, StringComparison.Ordinal);
        Assert.EndsWith(",i=15000", serverFirst, StringComparison.Ordinal);
    }
}
