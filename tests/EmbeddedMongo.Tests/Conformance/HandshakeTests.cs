using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Conformance;

/// <summary>What drivers read from hello and buildInfo, and the error shape of an unknown command.</summary>
public sealed class HandshakeTests(ServerFixture server)
{
    [Fact(Timeout = 30_000)]
    public async Task Hello_reports_what_drivers_need()
    {
        var ct = TestContext.Current.CancellationToken;
        var hello = await server.Client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: ct);

        Assert.True(hello["isWritablePrimary"].AsBoolean);
        Assert.True(hello["maxWireVersion"].ToInt32() >= 17, $"maxWireVersion {hello["maxWireVersion"]}");
        Assert.True(hello["minWireVersion"].ToInt32() <= hello["maxWireVersion"].ToInt32());
        Assert.Equal(16 * 1024 * 1024, hello["maxBsonObjectSize"].ToInt32());
        Assert.Equal(48_000_000, hello["maxMessageSizeBytes"].ToInt32());
        Assert.Equal(100_000, hello["maxWriteBatchSize"].ToInt32());
        Assert.True(hello["logicalSessionTimeoutMinutes"].ToInt32() > 0);
        Assert.True(hello["connectionId"].ToInt64() > 0);
        Assert.Equal(BsonType.DateTime, hello["localTime"].BsonType);
        Assert.False(hello.Contains("setName"), "a standalone server must not report setName");
    }

    [Fact(Timeout = 30_000)]
    public async Task BuildInfo_reports_a_version_matching_the_wire_version()
    {
        var ct = TestContext.Current.CancellationToken;
        var info = await server.Client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1), cancellationToken: ct);
        var version = ServerVersion.Parse(info["version"].AsString);
        Assert.True(version >= new Version(6, 0), $"buildInfo version {version}");
        var array = info["versionArray"].AsBsonArray;
        Assert.Equal(version.Major, array[0].ToInt32());
        Assert.Equal(version.Minor, array[1].ToInt32());
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unknown_command_answers_CommandNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        var e = await Assert.ThrowsAsync<MongoCommandException>(() =>
            server.Client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("noSuchCommand", 1), cancellationToken: ct));
        Assert.Equal(59, e.Code);
        Assert.Equal("CommandNotFound", e.CodeName);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_duplicate_key_raises_the_drivers_duplicate_key_error_with_its_key()
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = server.NewDatabase().GetCollection<BsonDocument>("dup");
        await collection.InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: ct);
        var e = await Assert.ThrowsAsync<MongoWriteException>(() => collection.InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: ct));
        Assert.Equal(ServerErrorCategory.DuplicateKey, e.WriteError.Category);
        Assert.Equal(11000, e.WriteError.Code);

        // The typed exception does not expose keyPattern/keyValue; the raw reply must carry them.
        var reply = await collection.Database.RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "insert", "dup" }, { "documents", new BsonArray { new BsonDocument("_id", 1) } },
        }, cancellationToken: ct);
        var writeError = reply["writeErrors"][0].AsBsonDocument;
        Assert.Equal(11000, writeError["code"].ToInt32());
        Assert.Equal(new BsonDocument("_id", 1), writeError["keyPattern"].AsBsonDocument);
        Assert.Equal(new BsonDocument("_id", 1), writeError["keyValue"].AsBsonDocument);
    }
}

/// <summary>The server as the primary of the single-member replica set "rs0", seen through a replicaSet connection string.</summary>
public sealed class ReplicaSetTests(ReplicaSetServerFixture replicaSet) : IClassFixture<ReplicaSetServerFixture>
{
    [Fact(Timeout = 30_000)]
    public async Task Hello_names_the_set_and_this_member_as_its_primary()
    {
        var ct = TestContext.Current.CancellationToken;
        var hello = await replicaSet.Client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: ct);
        Assert.Equal(ReplicaSetServerFixture.SetName, hello["setName"].AsString);
        Assert.True(hello["isWritablePrimary"].AsBoolean);
        var me = hello["me"].AsString;
        Assert.Equal(me, hello["primary"].AsString);
        Assert.Contains(new BsonString(me), hello["hosts"].AsBsonArray);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_driver_writes_and_reads_through_a_replicaSet_connection_string()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Contains("replicaSet=" + ReplicaSetServerFixture.SetName, replicaSet.ConnectionString);
        var collection = replicaSet.NewDatabase().GetCollection<BsonDocument>("items");
        await collection.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "v", "x" } }, cancellationToken: ct);
        var back = await collection.Find(new BsonDocument("_id", 1)).SingleAsync(ct);
        Assert.Equal("x", back["v"].AsString);
    }
}
