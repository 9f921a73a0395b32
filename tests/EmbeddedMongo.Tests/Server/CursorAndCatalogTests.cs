using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Server;

/// <summary>Cursors (batches, getMore, killCursors) and the collection/database catalog commands.</summary>
public sealed class CursorAndCatalogTests(ServerFixture server)
{
    [Fact]
    public async Task A_cursor_hands_out_every_document_once_across_getMore_batches()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = server.NewDatabase().GetCollection<BsonDocument>("c");
        await c.InsertManyAsync(Enumerable.Range(0, 1234).Select(i => new BsonDocument("_id", i)), cancellationToken: ct);

        using var cursor = await c.FindAsync(FilterDefinition<BsonDocument>.Empty, new FindOptions<BsonDocument> { BatchSize = 100, Sort = new BsonDocument("_id", 1) }, ct);
        var seen = new List<int>();
        var batches = 0;
        while (await cursor.MoveNextAsync(ct))
        {
            batches++;
            seen.AddRange(cursor.Current.Select(d => d["_id"].AsInt32));
        }

        Assert.Equal(Enumerable.Range(0, 1234), seen);
        Assert.True(batches >= 13, $"{batches} batches");
    }

    [Fact]
    public async Task A_killed_cursor_is_gone_and_getMore_answers_CursorNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = server.NewDatabase();
        await db.GetCollection<BsonDocument>("c").InsertManyAsync(Enumerable.Range(0, 10).Select(i => new BsonDocument("_id", i)), cancellationToken: ct);
        var first = await db.RunCommandAsync<BsonDocument>(new BsonDocument { { "find", "c" }, { "batchSize", 2 } }, cancellationToken: ct);
        var id = first["cursor"]["id"].AsInt64;

        var kill = await db.RunCommandAsync<BsonDocument>(new BsonDocument { { "killCursors", "c" }, { "cursors", new BsonArray { id, 12345L } } }, cancellationToken: ct);
        var error = await Assert.ThrowsAsync<MongoCommandException>(() => db.RunCommandAsync<BsonDocument>(new BsonDocument { { "getMore", id }, { "collection", "c" } }, cancellationToken: ct));

        Assert.NotEqual(0, id);
        Assert.Equal(new BsonArray { id }, kill["cursorsKilled"]);
        Assert.Equal(new BsonArray { 12345L }, kill["cursorsNotFound"]);
        Assert.Equal(43, error.Code);
    }

    [Fact]
    public async Task Skip_limit_and_batchSize_combine_like_MongoDB()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = server.NewDatabase().GetCollection<BsonDocument>("c");
        await c.InsertManyAsync(Enumerable.Range(0, 50).Select(i => new BsonDocument("_id", i)), cancellationToken: ct);

        var page = await c.Find(FilterDefinition<BsonDocument>.Empty, new FindOptions { BatchSize = 3 }).Sort(new BsonDocument("_id", -1)).Skip(5).Limit(7).ToListAsync(ct);

        Assert.Equal(Enumerable.Range(38, 7).Reverse(), page.Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task Collections_can_be_created_listed_renamed_and_dropped()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = server.NewDatabase();
        await db.CreateCollectionAsync("a", cancellationToken: ct);
        await db.GetCollection<BsonDocument>("b").InsertOneAsync(new BsonDocument("x", 1), cancellationToken: ct);

        var exists = await Assert.ThrowsAsync<MongoCommandException>(() => db.CreateCollectionAsync("a", cancellationToken: ct));
        var names = await (await db.ListCollectionNamesAsync(cancellationToken: ct)).ToListAsync(ct);
        var filtered = await (await db.ListCollectionNamesAsync(new ListCollectionNamesOptions { Filter = new BsonDocument("name", "b") }, ct)).ToListAsync(ct);
        await db.RenameCollectionAsync("b", "c", cancellationToken: ct);
        var afterRename = await (await db.ListCollectionNamesAsync(cancellationToken: ct)).ToListAsync(ct);
        var renamedData = await db.GetCollection<BsonDocument>("c").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct);
        var renameMissing = await Assert.ThrowsAsync<MongoCommandException>(() => db.RenameCollectionAsync("nope", "d", cancellationToken: ct));
        await db.DropCollectionAsync("a", ct);
        var dropMissing = await Assert.ThrowsAsync<MongoCommandException>(() => db.RunCommandAsync<BsonDocument>(new BsonDocument("drop", "a"), cancellationToken: ct));

        Assert.Equal(48, exists.Code);
        Assert.Equal(["a", "b"], names.Order());
        Assert.Equal(["b"], filtered);
        Assert.Equal(["a", "c"], afterRename.Order());
        Assert.Equal(1, renamedData);
        Assert.Equal(26, renameMissing.Code);
        Assert.Equal(26, dropMissing.Code);
    }

    [Fact]
    public async Task Databases_are_listed_and_dropped()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = server.NewDatabase();
        await db.GetCollection<BsonDocument>("c").InsertOneAsync(new BsonDocument("x", 1), cancellationToken: ct);

        var before = await (await server.Client.ListDatabaseNamesAsync(ct)).ToListAsync(ct);
        await server.Client.DropDatabaseAsync(db.DatabaseNamespace.DatabaseName, ct);
        var after = await (await server.Client.ListDatabaseNamesAsync(ct)).ToListAsync(ct);

        Assert.Contains(db.DatabaseNamespace.DatabaseName, before);
        Assert.DoesNotContain(db.DatabaseNamespace.DatabaseName, after);
    }

    [Theory]
    [InlineData("{ frobnicate: 1 }", 59)]
    [InlineData("{ find: 5 }", 73)]
    [InlineData("{ insert: 'c', documents: 'no' }", 14)]
    [InlineData("{ delete: 'c', deletes: [ { q: {}, limit: 5 } ] }", 9)]
    [InlineData("{ createIndexes: 'c', indexes: [ { name: 'x' } ] }", 9)]
    [InlineData("{ createIndexes: 'c', indexes: [ { key: { a: 'sideways' }, name: 'x' } ] }", 67)]
    [InlineData("{ findAndModify: 'c', query: {} }", 9)]
    [InlineData("{ getMore: 1, collection: 'c' }", 43)]
    public async Task Malformed_commands_answer_MongoDB_error_codes(string command, int code)
    {
        var ct = TestContext.Current.CancellationToken;
        var db = server.NewDatabase();

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => db.RunCommandAsync<BsonDocument>(BsonDocument.Parse(command), cancellationToken: ct));

        Assert.Equal(code, error.Code);
    }
}
