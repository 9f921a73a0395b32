using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;
using static Monolith.EmbeddedMongo.Tests.Robustness.WireMessages;

namespace Monolith.EmbeddedMongo.Tests.Robustness;

/// <summary>Malformed input over raw TCP: an error reply or a closed connection, never a hang or a crash, and other connections keep being served.</summary>
public sealed class BadInputTests(ServerFixture server)
{
    public static TheoryData<string> Cases() => new(BadInputCases.All.Keys);

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_an_error_reply_or_a_closed_connection(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var db = ServerFixture.UniqueDatabaseName("bad_input");
        var input = BadInputCases.All[name](db);

        using (var connection = await RawConnection.OpenAsync(server.ConnectionString, ct))
        {
            var sent = await connection.TrySendAsync(input.Bytes, ct);
            List<RawReply> replies;
            if (input.EndsStream || !sent)
            {
                connection.EndSending();
                replies = await connection.ReadUntilClosedAsync(ct);
            }
            else
            {
                replies = await connection.ReadReplyAsync(ct) is { } reply ? [reply] : [];
            }
            foreach (var reply in replies.Where(r => r.OpCode == OpMsg))
            {
                var document = reply.Document();
                Assert.True(IsErrorReply(document), $"{name}: expected an error reply, got {document}");
            }
        }

        await AssertStillServingAsync(server, ct);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_message_with_a_correct_checksum_is_accepted()
    {
        var ct = TestContext.Current.CancellationToken;
        var message = Concat(BadInputCases.Grow(OpMsgCommand(7, BadInputCases.PingDocument("admin"), flags: 1), 4), new byte[4]);
        var checksum = UInt32(Crc32C.Compute(message.AsSpan(0, message.Length - 4)));
        checksum.CopyTo(message, message.Length - 4);

        using var connection = await RawConnection.OpenAsync(server.ConnectionString, ct);
        Assert.True(await connection.TrySendAsync(message, ct));
        var reply = await connection.ReadReplyAsync(ct) ?? throw new Xunit.Sdk.XunitException("the server closed the connection");
        Assert.Equal(7, reply.ResponseTo);
        Assert.Equal(1.0, reply.Document()["ok"].ToDouble());
    }

    [Fact(Timeout = 30_000)]
    public async Task An_insert_with_a_kind_1_document_sequence_is_accepted()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = server.NewDatabase();
        var command = new BsonDocument { { "insert", "seq" }, { "$db", database.DatabaseNamespace.DatabaseName } };

        using var connection = await RawConnection.OpenAsync(server.ConnectionString, ct);
        Assert.True(await connection.TrySendAsync(OpMsgWithSequence(3, command, "documents", [new BsonDocument("_id", 1), new BsonDocument("_id", 2)]), ct));
        var reply = await connection.ReadReplyAsync(ct) ?? throw new Xunit.Sdk.XunitException("the server closed the connection");
        var document = reply.Document();
        Assert.Equal(1.0, document["ok"].ToDouble());
        Assert.Equal(2, document["n"].ToInt32());
        var stored = await database.GetCollection<BsonDocument>("seq").Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct);
        Assert.Equal([1, 2], stored.Select(d => d["_id"].AsInt32).Order());
    }

    [Fact(Timeout = 30_000)]
    public async Task The_legacy_OP_QUERY_handshake_is_answered_with_OP_REPLY()
    {
        var ct = TestContext.Current.CancellationToken;
        using var connection = await RawConnection.OpenAsync(server.ConnectionString, ct);
        Assert.True(await connection.TrySendAsync(OpQueryCommand(11, "admin.$cmd", new BsonDocument { { "isMaster", 1 }, { "helloOk", true } }), ct));
        var reply = await connection.ReadReplyAsync(ct) ?? throw new Xunit.Sdk.XunitException("the server closed the connection");
        Assert.Equal(OpReply, reply.OpCode);
        Assert.Equal(11, reply.ResponseTo);
        var hello = reply.Document();
        Assert.Equal(1.0, hello["ok"].ToDouble());
        Assert.True(hello["maxWireVersion"].ToInt32() >= 17, hello.ToString());
        Assert.Equal(16 * 1024 * 1024, hello["maxBsonObjectSize"].ToInt32());
    }

    [Fact(Timeout = 30_000)]
    public async Task A_slow_sender_does_not_block_other_connections()
    {
        var ct = TestContext.Current.CancellationToken;
        var ping = OpMsgCommand(5, BadInputCases.PingDocument("admin"));
        using var slow = await RawConnection.OpenAsync(server.ConnectionString, ct);
        Assert.True(await slow.TrySendAsync(ping[..(ping.Length / 2)], ct));

        // While half a message waits on that connection, others are served.
        await AssertStillServingAsync(server, ct);

        Assert.True(await slow.TrySendAsync(ping[(ping.Length / 2)..], ct));
        var reply = await slow.ReadReplyAsync(ct) ?? throw new Xunit.Sdk.XunitException("the server closed the slow connection");
        Assert.Equal(5, reply.ResponseTo);
        Assert.Equal(1.0, reply.Document()["ok"].ToDouble());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_document_just_under_16_MiB_round_trips_and_one_over_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = server.NewDatabase();
        var collection = database.GetCollection<BsonDocument>("big");
        var size = 16 * 1024 * 1024;
        var overhead = new BsonDocument { { "_id", 1 }, { "s", "" } }.ToBson().Length;
        var doc = new BsonDocument { { "_id", 1 }, { "s", new string('y', size - overhead) } };
        Assert.Equal(size, doc.ToBson().Length);

        await collection.InsertOneAsync(doc, cancellationToken: ct);
        var back = await collection.Find(new BsonDocument("_id", 1)).SingleAsync(ct);
        Assert.Equal(doc["s"].AsString, back["s"].AsString);

        using var connection = await RawConnection.OpenAsync(server.ConnectionString, ct);
        var command = new BsonDocument
        {
            { "insert", "big" }, { "documents", new BsonArray { BadInputCases.Oversized().Set("_id", 2) } },
            { "$db", database.DatabaseNamespace.DatabaseName },
        };
        if (await connection.TrySendAsync(OpMsgCommand(9, command), ct) && await connection.ReadReplyAsync(ct) is { } reply)
            Assert.True(IsErrorReply(reply.Document()), $"inserting a document over 16 MiB answered {reply.Document()}");
        var stored = await collection.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct);
        Assert.Equal([new BsonInt32(1)], stored.Select(d => d["_id"]));
    }

    /// <summary>ok: 0, or a write command's per-document errors (MongoDB answers ok: 1 with writeErrors there).</summary>
    private static bool IsErrorReply(BsonDocument reply) =>
        reply.GetValue("ok", 0).ToDouble() == 0 || reply.GetValue("writeErrors", new BsonArray()).AsBsonArray.Count > 0;

    internal static async Task AssertStillServingAsync(ServerFixture server, CancellationToken ct)
    {
        var ping = await server.Client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: ct);
        Assert.Equal(1.0, ping["ok"].ToDouble());

        using var fresh = await RawConnection.OpenAsync(server.ConnectionString, ct);
        Assert.True(await fresh.TrySendAsync(OpMsgCommand(42, BadInputCases.PingDocument("admin")), ct), "a new connection could not send a ping");
        var reply = await fresh.ReadReplyAsync(ct) ?? throw new Xunit.Sdk.XunitException("a new connection was closed instead of answering ping");
        Assert.Equal(42, reply.ResponseTo);
        Assert.Equal(1.0, reply.Document()["ok"].ToDouble());
    }
}
