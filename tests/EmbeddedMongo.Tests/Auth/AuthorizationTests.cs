using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Auth;

/// <summary>What the roles read, readWrite, root and the *AnyDatabase roles let an authenticated user do.</summary>
public sealed class AuthorizationTests(AuthServerFixture fixture) : IClassFixture<AuthServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_user_without_rights_on_a_database_is_refused_there()
    {
        var own = ServerFixture.UniqueDatabaseName("own");
        var other = ServerFixture.UniqueDatabaseName("other");
        await fixture.Root.GetDatabase(other).GetCollection<BsonDocument>("secrets").InsertOneAsync(new BsonDocument("x", 1), cancellationToken: Ct);
        await fixture.CreateUserAsync(own, "carol", "carol-pw", "readWrite");
        using var client = fixture.Client("carol", "carol-pw", authSource: own);

        await client.GetDatabase(own).GetCollection<BsonDocument>("notes").InsertOneAsync(new BsonDocument("x", 1), cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<MongoCommandException>(() =>
            client.GetDatabase(other).GetCollection<BsonDocument>("secrets").Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(cancellationToken: Ct));

        Assert.Equal(13, error.Code);
        Assert.Equal("Unauthorized", error.CodeName);
        Assert.StartsWith($"not authorized on {other} to execute command {{ \"find\" : \"secrets\"", error.ErrorMessage);
    }

    [Fact]
    public async Task Read_role_reads_but_does_not_write()
    {
        var db = ServerFixture.UniqueDatabaseName("read");
        await fixture.Root.GetDatabase(db).GetCollection<BsonDocument>("items").InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: Ct);
        await fixture.CreateUserAsync(db, "reader", "reader-pw", "read");
        using var client = fixture.Client("reader", "reader-pw", authSource: db);
        var items = client.GetDatabase(db).GetCollection<BsonDocument>("items");

        var found = await items.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(cancellationToken: Ct);
        var count = await items.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct);
        var names = await (await client.GetDatabase(db).ListCollectionNamesAsync(cancellationToken: Ct)).ToListAsync(cancellationToken: Ct);
        var insert = await Assert.ThrowsAsync<MongoCommandException>(() => items.InsertOneAsync(new BsonDocument("_id", 2), cancellationToken: Ct));
        var index = await Assert.ThrowsAsync<MongoCommandException>(() =>
            items.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("a")), cancellationToken: Ct));
        var outStage = await Assert.ThrowsAsync<MongoCommandException>(() =>
            items.Aggregate().OutAsync("copy", cancellationToken: Ct));

        var explainFind = await client.GetDatabase(db).RunCommandAsync<BsonDocument>(new BsonDocument("explain", new BsonDocument("find", "items")), cancellationToken: Ct);
        var explainDelete = await Assert.ThrowsAsync<MongoCommandException>(() => client.GetDatabase(db).RunCommandAsync<BsonDocument>(
            new BsonDocument("explain", new BsonDocument { { "delete", "items" }, { "deletes", new BsonArray { new BsonDocument { { "q", new BsonDocument() }, { "limit", 0 } } } } }), cancellationToken: Ct));

        Assert.Single(found);
        Assert.Equal(1, count);
        Assert.Equal(1.0, explainFind["ok"].ToDouble());
        Assert.Equal(13, explainDelete.Code);
        Assert.Equal(["items"], names);
        Assert.All(new[] { insert, index, outStage }, e => Assert.Equal(13, e.Code));
    }

    [Fact]
    public async Task ReadWrite_role_writes_and_manages_collections_but_cannot_drop_the_database_or_create_users()
    {
        var db = ServerFixture.UniqueDatabaseName("readWrite");
        await fixture.CreateUserAsync(db, "writer", "writer-pw", "readWrite");
        using var client = fixture.Client("writer", "writer-pw", authSource: db);
        var database = client.GetDatabase(db);
        var items = database.GetCollection<BsonDocument>("items");

        await items.InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: Ct);
        await items.UpdateOneAsync(new BsonDocument("_id", 1), new BsonDocument("$set", new BsonDocument("a", 2)), cancellationToken: Ct);
        await items.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("a")), cancellationToken: Ct);
        await database.DropCollectionAsync("items", cancellationToken: Ct);
        var dropDatabase = await Assert.ThrowsAsync<MongoCommandException>(() => client.DropDatabaseAsync(db, cancellationToken: Ct));
        var createUser = await Assert.ThrowsAsync<MongoCommandException>(() => database.RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "createUser", "sneaky" }, { "pwd", "x" }, { "roles", new BsonArray { "dbOwner" } },
        }, cancellationToken: Ct));
        var serverStatus = await Assert.ThrowsAsync<MongoCommandException>(() =>
            client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("serverStatus", 1), cancellationToken: Ct));

        Assert.All(new[] { dropDatabase, createUser, serverStatus }, e => Assert.Equal(13, e.Code));
    }

    [Fact]
    public async Task Root_may_do_everything_on_every_database()
    {
        var db = ServerFixture.UniqueDatabaseName("root");
        var database = fixture.Root.GetDatabase(db);

        await database.GetCollection<BsonDocument>("items").InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: Ct);
        await database.RunCommandAsync<BsonDocument>(new BsonDocument("collMod", "items"), cancellationToken: Ct);
        await fixture.Root.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("serverStatus", 1), cancellationToken: Ct);
        await fixture.CreateUserAsync(db, "made-by-root", "pw", "read");
        await fixture.Root.DropDatabaseAsync(db, cancellationToken: Ct);

        var names = await (await fixture.Root.ListDatabaseNamesAsync(cancellationToken: Ct)).ToListAsync(cancellationToken: Ct);
        Assert.DoesNotContain(db, names);
    }

    [Fact]
    public async Task ReadAnyDatabase_reads_everywhere_and_listDatabases_shows_a_narrow_user_only_its_databases()
    {
        var db = ServerFixture.UniqueDatabaseName("any");
        var mine = ServerFixture.UniqueDatabaseName("mine");
        await fixture.Root.GetDatabase(db).GetCollection<BsonDocument>("items").InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: Ct);
        await fixture.Root.GetDatabase(mine).GetCollection<BsonDocument>("items").InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: Ct);
        await fixture.CreateUserAsync("admin", "auditor", "auditor-pw", new BsonDocument { { "role", "readAnyDatabase" }, { "db", "admin" } });
        await fixture.CreateUserAsync(mine, "narrow", "narrow-pw", "read");
        using var auditor = fixture.Client("auditor", "auditor-pw");
        using var narrow = fixture.Client("narrow", "narrow-pw", authSource: mine);

        var seen = await auditor.GetDatabase(db).GetCollection<BsonDocument>("items").Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(cancellationToken: Ct);
        var write = await Assert.ThrowsAsync<MongoCommandException>(() =>
            auditor.GetDatabase(db).GetCollection<BsonDocument>("items").InsertOneAsync(new BsonDocument("_id", 2), cancellationToken: Ct));
        var narrowNames = await (await narrow.ListDatabaseNamesAsync(cancellationToken: Ct)).ToListAsync(cancellationToken: Ct);

        Assert.Single(seen);
        Assert.Equal(13, write.Code);
        Assert.Equal([mine], narrowNames);
    }

    [Fact]
    public async Task Dropping_a_user_takes_its_rights_away_from_open_connections()
    {
        var db = ServerFixture.UniqueDatabaseName("dropped");
        await fixture.CreateUserAsync(db, "temp", "temp-pw", "readWrite");
        using var client = fixture.Client("temp", "temp-pw", authSource: db);
        var items = client.GetDatabase(db).GetCollection<BsonDocument>("items");
        await items.InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: Ct);

        await fixture.Root.GetDatabase(db).RunCommandAsync<BsonDocument>(new BsonDocument("dropUser", "temp"), cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<MongoCommandException>(() => items.InsertOneAsync(new BsonDocument("_id", 2), cancellationToken: Ct));

        Assert.Equal(13, error.Code);
    }
}
