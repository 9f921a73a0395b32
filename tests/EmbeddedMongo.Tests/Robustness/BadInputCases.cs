using MongoDB.Bson;
using static Monolith.EmbeddedMongo.Tests.Robustness.WireMessages;

namespace Monolith.EmbeddedMongo.Tests.Robustness;

/// <summary>
/// Malformed messages. Each is sent on its own connection; the server must answer with an error reply
/// (ok: 0) or close the connection, never hang or crash. EndsStream: the client then closes its sending
/// side, so a server waiting for the rest of a message sees end of stream.
/// </summary>
internal static class BadInputCases
{
    public sealed record Case(byte[] Bytes, bool EndsStream);

    public static readonly IReadOnlyDictionary<string, Func<string, Case>> All = new Dictionary<string, Func<string, Case>>
    {
        ["length 0"] = db => new(WithLength(Ping(db), 0), false),
        ["length -1"] = db => new(WithLength(Ping(db), -1), false),
        ["length 15, shorter than a header"] = db => new(WithLength(Ping(db), 15), false),
        ["length 2^31-1 with a short body"] = db => new(WithLength(Ping(db), int.MaxValue), false),
        ["length 64 MiB, over maxMessageSizeBytes"] = db => new(WithLength(Ping(db), 64 * 1024 * 1024), false),
        ["header cut after 8 bytes"] = db => new(Ping(db)[..8], true),
        ["body cut in half"] = db => new(Ping(db)[..(Ping(db).Length / 2)], true),
        ["length 10 bytes shorter than the message"] = db => new(WithLength(Ping(db), Ping(db).Length - 10), true),
        ["length 10 bytes longer than the message"] = db => new(WithLength(Ping(db), Ping(db).Length + 10), true),
        ["unknown opcode 9999"] = db => new(Frame(1, 9999, new byte[20]), false),
        ["OP_REPLY sent by a client"] = db => new(Frame(1, OpReply, new byte[36]), false),
        ["removed opcode OP_INSERT (2002)"] = db => new(Frame(1, 2002, Concat(Int32(0), "x.y\0"u8.ToArray(), new BsonDocument("a", 1).ToBson())), false),
        ["OP_MSG without sections"] = db => new(Frame(1, OpMsg, UInt32(0)), false),
        ["OP_MSG with an unknown section kind"] = db => new(Frame(1, OpMsg, Concat(UInt32(0), [7], PingDocument(db).ToBson())), false),
        ["OP_MSG with two body sections"] = db => new(Frame(1, OpMsg, Concat(UInt32(0), [0], PingDocument(db).ToBson(), [0], PingDocument(db).ToBson())), false),
        ["OP_MSG with an unknown required flag bit"] = db => new(OpMsgCommand(1, PingDocument(db), flags: 1u << 5), false),
        ["OP_MSG with the checksum flag but no checksum"] = db => new(OpMsgCommand(1, PingDocument(db), flags: 1), false),
        ["OP_MSG with a wrong checksum"] = db => new(Concat(Grow(OpMsgCommand(1, PingDocument(db), flags: 1), 4), [1, 2, 3, 4]), false),
        ["BSON length beyond the message"] = db => new(PatchBson(db, bson => WriteInt(bson, 0, bson.Length + 100)), false),
        ["BSON length below 5"] = db => new(PatchBson(db, bson => WriteInt(bson, 0, 3)), false),
        ["BSON without its terminating zero"] = db => new(PatchBson(db, bson => bson[^1] = 0x7F), false),
        ["BSON element of unknown type 0x42"] = db => new(PatchBson(db, bson => bson[4] = 0x42), false),
        ["BSON string with a negative length"] = db => new(Body(db, StringElementDocument(-5)), false),
        ["BSON string longer than its document"] = db => new(Body(db, StringElementDocument(1000)), false),
        ["document sequence longer than the message"] = db => new(SequenceWithSize(db, 10_000), false),
        ["document sequence size below its header"] = db => new(SequenceWithSize(db, 2), false),
        ["empty command document"] = db => new(OpMsgCommand(1, []), false),
        ["command without $db"] = db => new(OpMsgCommand(1, new BsonDocument("ping", 1)), false),
        ["OP_QUERY with garbage after the header"] = db => new(Frame(1, OpQuery, Enumerable.Range(0, 40).Select(i => (byte)(i * 37)).ToArray()), false),
        ["OP_QUERY with an unterminated collection name"] = db => new(Frame(1, OpQuery, Concat(Int32(0), "admin.$cmd"u8.ToArray())), false),
        ["insert of a document over 16 MiB"] = db => new(OpMsgCommand(1, new BsonDocument
        {
            { "insert", "big" }, { "documents", new BsonArray { Oversized() } }, { "$db", db },
        }), false),
        ["document sequence holding a document over 16 MiB"] = db => new(OpMsgWithSequence(1, new BsonDocument { { "insert", "big" }, { "$db", db } }, "documents", [Oversized()]), false),
        ["document nested 200 levels deep"] = db => new(InsertRaw(db, "deep", Nested(200)), false),
    };

    public static byte[] Ping(string db) => OpMsgCommand(1, PingDocument(db));

    public static BsonDocument PingDocument(string db) => new() { { "ping", 1 }, { "$db", db } };

    /// <summary>A document of 16 MiB + 1 KiB: one string field.</summary>
    public static BsonDocument Oversized() => new() { { "_id", 1 }, { "s", new string('x', 16 * 1024 * 1024 + 1024) } };

    /// <summary>{_id: 1, n: {n: {... {leaf: 1}}}} as raw BSON (the driver's serializer refuses such depths).</summary>
    public static byte[] Nested(int depth)
    {
        // Level k (1..depth-1) is: int32 length, 0x03 "n" 0x00, level k-1, 0x00; level 0 is {leaf: 1}.
        var innermost = RawDocument(RawElement(0x10, "leaf", Int32(1)));
        const int Wrapper = 4 + 3 + 1;
        var nested = new byte[innermost.Length + (depth - 1) * Wrapper];
        var length = nested.Length;
        var pos = 0;
        for (var k = depth - 1; k >= 1; k--)
        {
            Int32(length).CopyTo(nested, pos);
            nested[pos + 4] = 0x03;
            nested[pos + 5] = (byte)'n';
            nested[pos + 6] = 0;
            pos += 7;
            length -= Wrapper;
        }
        innermost.CopyTo(nested, pos);
        return RawDocument(RawElement(0x10, "_id", Int32(1)), RawElement(0x03, "n", nested));
    }

    /// <summary>An insert command whose single document is given as raw bytes.</summary>
    public static byte[] InsertRaw(string db, string collection, byte[] document)
    {
        var command = RawDocument(
            RawElement(0x02, "insert", RawString(collection)),
            RawElement(0x04, "documents", RawDocument(RawElement(0x03, "0", document))),
            RawElement(0x02, "$db", RawString(db)));
        return Frame(1, OpMsg, Concat(UInt32(0), [0], command));
    }

    private static byte[] RawDocument(params byte[][] elements)
    {
        var body = Concat(elements);
        return Concat(Int32(4 + body.Length + 1), body, [0]);
    }

    private static byte[] RawElement(byte type, string name, byte[] value) =>
        Concat([type], System.Text.Encoding.UTF8.GetBytes(name + "\0"), value);

    private static byte[] RawString(string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value + "\0");
        return Concat(Int32(bytes.Length), bytes);
    }

    public static byte[] Grow(byte[] message, int extra) => WithLength(message, message.Length + extra);

    private static void WriteInt(byte[] bytes, int offset, int value) => Int32(value).CopyTo(bytes, offset);

    /// <summary>An OP_MSG whose body document (a ping) is altered after serialisation.</summary>
    private static byte[] PatchBson(string db, Action<byte[]> patch)
    {
        var bson = PingDocument(db).ToBson();
        patch(bson);
        return Frame(1, OpMsg, Concat(UInt32(0), [0], bson));
    }

    private static byte[] Body(string db, byte[] bson) => Frame(1, OpMsg, Concat(UInt32(0), [0], bson));

    /// <summary>{ ping: 1, s: "abc" } with the string's length field replaced.</summary>
    private static byte[] StringElementDocument(int declaredLength)
    {
        var elements = Concat([0x10], "ping\0"u8.ToArray(), Int32(1), [0x02], "s\0"u8.ToArray(), Int32(declaredLength), "abc\0"u8.ToArray());
        return Concat(Int32(4 + elements.Length + 1), elements, [0]);
    }

    private static byte[] SequenceWithSize(string db, int declaredSize)
    {
        var docs = new BsonDocument("_id", 1).ToBson();
        var section = Concat([1], Int32(declaredSize), "documents\0"u8.ToArray(), docs);
        return Frame(1, OpMsg, Concat(UInt32(0), [0], new BsonDocument { { "insert", "seq" }, { "$db", db } }.ToBson(), section));
    }
}
