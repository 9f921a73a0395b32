using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Server;

/// <summary>Unique, sparse, partial and compound indexes as the driver sees them.</summary>
public sealed class IndexTests(ServerFixture server)
{
    private IMongoCollection<BsonDocument> NewCollection(string hint) =>
        server.NewDatabase(hint).GetCollection<BsonDocument>("c");

    [Fact]
    public async Task A_unique_index_rejects_a_duplicate_insert_with_keyPattern_and_keyValue()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = NewCollection(nameof(A_unique_index_rejects_a_duplicate_insert_with_keyPattern_and_keyValue));
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("email", 1), new CreateIndexOptions { Unique = true }), cancellationToken: ct);
        await c.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "email", "a@x" } }, cancellationToken: ct);

        var error = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(new BsonDocument { { "_id", 2 }, { "email", "a@x" } }, cancellationToken: ct));

        Assert.Equal(ServerErrorCategory.DuplicateKey, error.WriteError.Category);
        Assert.Equal(11000, error.WriteError.Code);
        Assert.Contains("email_1", error.WriteError.Message);
        Assert.Equal(1, await c.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
    }

    [Fact]
    public async Task A_duplicate_key_reply_carries_keyPattern_and_keyValue()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = server.NewDatabase(nameof(A_duplicate_key_reply_carries_keyPattern_and_keyValue));
        await db.GetCollection<BsonDocument>("c").InsertOneAsync(new BsonDocument("_id", 7), cancellationToken: ct);

        var reply = await db.RunCommandAsync<BsonDocument>(new BsonDocument { { "insert", "c" }, { "documents", new BsonArray { new BsonDocument("_id", 7) } } }, cancellationToken: ct);

        var writeError = reply["writeErrors"][0].AsBsonDocument;
        Assert.Equal(new BsonDocument("_id", 1), writeError["keyPattern"]);
        Assert.Equal(new BsonDocument("_id", 7), writeError["keyValue"]);
    }

    [Fact]
    public async Task A_unique_index_is_enforced_on_update_and_upsert_and_leaves_the_document_unchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = NewCollection(nameof(A_unique_index_is_enforced_on_update_and_upsert_and_leaves_the_document_unchanged));
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("sku", 1), new CreateIndexOptions { Unique = true }), cancellationToken: ct);
        await c.InsertManyAsync([new BsonDocument { { "_id", 1 }, { "sku", "A" } }, new BsonDocument { { "_id", 2 }, { "sku", "B" } }], cancellationToken: ct);

        await Assert.ThrowsAsync<MongoWriteException>(() => c.UpdateOneAsync(new BsonDocument("_id", 2), new BsonDocument("$set", new BsonDocument("sku", "A")), cancellationToken: ct));
        await Assert.ThrowsAsync<MongoWriteException>(() => c.UpdateOneAsync(new BsonDocument("sku", "A2"), new BsonDocument("$set", new BsonDocument("sku", "B")), new UpdateOptions { IsUpsert = true }, ct));
        await Assert.ThrowsAsync<MongoCommandException>(() => c.FindOneAndUpdateAsync(new BsonDocument("_id", 1), new BsonDocument("$set", new BsonDocument("sku", "B")), cancellationToken: ct));

        var stored = await c.Find(FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("_id", 1)).ToListAsync(ct);
        Assert.Equal(["A", "B"], stored.Select(d => d["sku"].AsString));
    }

    [Fact]
    public async Task Creating_a_unique_index_over_duplicate_data_fails_and_creates_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = NewCollection(nameof(Creating_a_unique_index_over_duplicate_data_fails_and_creates_nothing));
        await c.InsertManyAsync([new BsonDocument("x", 1), new BsonDocument("x", 1)], cancellationToken: ct);

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("x", 1), new CreateIndexOptions { Unique = true }), cancellationToken: ct));

        Assert.Equal(11000, error.Code);
        var indexes = await (await c.Indexes.ListAsync(ct)).ToListAsync(ct);
        Assert.Single(indexes);
    }

    [Fact]
    public async Task A_sparse_unique_index_allows_many_documents_without_the_field()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = NewCollection(nameof(A_sparse_unique_index_allows_many_documents_without_the_field));
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("code", 1), new CreateIndexOptions { Unique = true, Sparse = true }), cancellationToken: ct);

        await c.InsertManyAsync([new BsonDocument("n", 1), new BsonDocument("n", 2), new BsonDocument("code", "X")], cancellationToken: ct);

        await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(new BsonDocument("code", "X"), cancellationToken: ct));
        Assert.Equal(3, await c.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
    }

    [Fact]
    public async Task A_partial_unique_index_only_constrains_documents_matching_its_filter()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = NewCollection(nameof(A_partial_unique_index_only_constrains_documents_matching_its_filter));
        var options = new CreateIndexOptions<BsonDocument> { Unique = true, PartialFilterExpression = new BsonDocument("deletedAt", BsonNull.Value) };
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("slug", 1), options), cancellationToken: ct);

        await c.InsertOneAsync(new BsonDocument { { "slug", "a" }, { "deletedAt", DateTime.UtcNow } }, cancellationToken: ct);
        await c.InsertOneAsync(new BsonDocument { { "slug", "a" }, { "deletedAt", BsonNull.Value } }, cancellationToken: ct);

        await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(new BsonDocument { { "slug", "a" }, { "deletedAt", BsonNull.Value } }, cancellationToken: ct));
    }

    [Fact]
    public async Task A_compound_unique_index_compares_the_whole_key()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = NewCollection(nameof(A_compound_unique_index_compares_the_whole_key));
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument { { "a", 1 }, { "b", -1 } }, new CreateIndexOptions { Unique = true }), cancellationToken: ct);

        await c.InsertManyAsync([new BsonDocument { { "a", 1 }, { "b", 1 } }, new BsonDocument { { "a", 1 }, { "b", 2 } }, new BsonDocument { { "a", 2 }, { "b", 1 } }], cancellationToken: ct);

        var error = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(new BsonDocument { { "a", 1 }, { "b", 2.0 } }, cancellationToken: ct));
        Assert.Equal(11000, error.WriteError.Code);
    }

    [Fact]
    public async Task Index_conflicts_answer_MongoDB_codes()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = NewCollection(nameof(Index_conflicts_answer_MongoDB_codes));
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("a", 1), new CreateIndexOptions { Name = "by_a" }), cancellationToken: ct);

        var sameNameOtherKey = await Assert.ThrowsAsync<MongoCommandException>(() => c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("b", 1), new CreateIndexOptions { Name = "by_a" }), cancellationToken: ct));
        var sameKeyOtherOptions = await Assert.ThrowsAsync<MongoCommandException>(() => c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("a", 1), new CreateIndexOptions { Name = "other", Unique = true }), cancellationToken: ct));
        var repeat = await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("a", 1), new CreateIndexOptions { Name = "by_a" }), cancellationToken: ct);

        Assert.Equal(86, sameNameOtherKey.Code);
        Assert.Equal(85, sameKeyOtherOptions.Code);
        Assert.Equal("by_a", repeat);
    }

    [Fact]
    public async Task Dropping_indexes_by_name_key_and_star_keeps_the_id_index()
    {
        var ct = TestContext.Current.CancellationToken;
        var c = NewCollection(nameof(Dropping_indexes_by_name_key_and_star_keeps_the_id_index));
        await c.Indexes.CreateManyAsync([
            new CreateIndexModel<BsonDocument>(new BsonDocument("a", 1)),
            new CreateIndexModel<BsonDocument>(new BsonDocument("b", 1)),
            new CreateIndexModel<BsonDocument>(new BsonDocument("c", 1)),
        ], ct);

        await c.Indexes.DropOneAsync("a_1", ct);
        await c.Database.RunCommandAsync<BsonDocument>(new BsonDocument { { "dropIndexes", "c" }, { "index", new BsonDocument("b", 1) } }, cancellationToken: ct);
        var missing = await Assert.ThrowsAsync<MongoCommandException>(() => c.Indexes.DropOneAsync("nope_1", ct));
        var idIndex = await Assert.ThrowsAsync<MongoCommandException>(() => c.Indexes.DropOneAsync("_id_", ct));
        await c.Indexes.DropAllAsync(ct);

        Assert.Equal(27, missing.Code);
        Assert.Equal(72, idIndex.Code);
        var names = (await (await c.Indexes.ListAsync(ct)).ToListAsync(ct)).Select(i => i["name"].AsString);
        Assert.Equal(["_id_"], names);
    }

    [Fact]
    public async Task A_TTL_index_deletes_expired_documents_in_the_background()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ttlServer = await EmbeddedMongoServer.StartAsync(new EmbeddedMongoOptions { TtlMonitorInterval = TimeSpan.FromMilliseconds(200) }, ct);
        using var client = ServerFixture.CreateClient(ttlServer.ConnectionString);
        var c = client.GetDatabase("ttl").GetCollection<BsonDocument>("sessions");
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("expiresAt", 1), new CreateIndexOptions { ExpireAfter = TimeSpan.Zero }), cancellationToken: ct);
        await c.InsertManyAsync([
            new BsonDocument { { "_id", "old" }, { "expiresAt", DateTime.UtcNow.AddMinutes(-1) } },
            new BsonDocument { { "_id", "fresh" }, { "expiresAt", DateTime.UtcNow.AddHours(1) } },
            new BsonDocument { { "_id", "no-date" }, { "expiresAt", "not a date" } },
        ], cancellationToken: ct);

        await Probe.UntilAsync(async () => await c.CountDocumentsAsync(new BsonDocument("_id", "old"), cancellationToken: ct) == 0,
            TimeSpan.FromSeconds(10), () => "the expired document is still there", ct);

        var left = (await c.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct)).Select(d => d["_id"].AsString).Order();
        Assert.Equal(["fresh", "no-date"], left);
    }
}
