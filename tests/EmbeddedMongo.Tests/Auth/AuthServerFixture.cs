using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Auth;

/// <summary>
/// An embedded server started with auth on, whose first user (root "root"/"root-pw" on admin) was created through
/// the localhost exception. Tests add their own users with <see cref="CreateUserAsync"/>.
/// </summary>
public sealed class AuthServerFixture : IAsyncLifetime
{
    public const string RootUser = "root";
    public const string RootPassword = "root-pw";
    private EmbeddedMongoServer? _server;
    private MongoClient? _root;

    public EmbeddedMongoServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>A client authenticated as root.</summary>
    public MongoClient Root => _root ?? throw new InvalidOperationException("The server has not started.");

    public async ValueTask InitializeAsync()
    {
        _server = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { Port = 0, Auth = true });
        using (var anonymous = Anonymous())
        {
            await anonymous.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument
            {
                { "createUser", RootUser }, { "pwd", RootPassword }, { "roles", new BsonArray { "root" } },
            });
        }
        _root = Client(RootUser, RootPassword);
    }

    public async ValueTask DisposeAsync()
    {
        _root?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }

    public MongoClient Anonymous() => ServerFixture.CreateClient(Server.ConnectionString);

    public MongoClient Client(string user, string password, string authSource = "admin") =>
        ServerFixture.CreateClient(
            $"mongodb://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@127.0.0.1:{Server.Port}/?directConnection=true&authSource={authSource}");

    /// <summary>Creates a user (as root) with roles given as role names on <paramref name="db"/> or {role, db} documents.</summary>
    public Task CreateUserAsync(string db, string user, string password, params BsonValue[] roles) =>
        Root.GetDatabase(db).RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "createUser", user }, { "pwd", password }, { "roles", new BsonArray(roles) },
        });
}
