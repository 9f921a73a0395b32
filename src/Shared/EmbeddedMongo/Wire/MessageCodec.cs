using System.Buffers.Binary;
using System.Text;
using MongoDB.Bson;
using System.Buffers;

namespace Monolith.EmbeddedMongo.Wire;

/// <summary>Decodes OP_MSG and OP_QUERY bodies and encodes OP_MSG and OP_REPLY answers.</summary>
internal static class MessageCodec
{
    private const uint ChecksumPresent = 1;
    private const uint MoreToComeFlag = 2;
    private const uint KnownFlags = ChecksumPresent | MoreToComeFlag | (1u << 16);

    /// <summary>Decodes the body that follows the 16-byte header. Throws <see cref="MongoError"/> on malformed input.</summary>
    public static WireMessage Decode(int requestId, int opCode, ReadOnlySpan<byte> header, ReadOnlyMemory<byte> body) => opCode switch
    {
        OpCodes.Msg => DecodeMsg(requestId, header, body),
        OpCodes.Query => DecodeQuery(requestId, body),
        _ => throw new MongoError(2, "BadValue", $"unsupported opcode {opCode}"),
    };

    private static WireMessage DecodeMsg(int requestId, ReadOnlySpan<byte> header, ReadOnlyMemory<byte> memory)
    {
        var body = memory.Span;
        if (body.Length < 5) throw InvalidBson("OP_MSG too short");
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(body);
        if ((flags & 0xFFFF & ~KnownFlags) != 0) throw new MongoError(2, "BadValue", $"unknown OP_MSG flags {flags}");
        var end = body.Length;
        if ((flags & ChecksumPresent) != 0)
        {
            end -= 4;
            if (end < 5) throw InvalidBson("OP_MSG too short for its checksum");
            var expected = BinaryPrimitives.ReadUInt32LittleEndian(body[end..]);
            var actual = Crc32C.Append(Crc32C.Append(0, header), body[..end]);
            if (expected != actual) throw new MongoError(40387, "Location40387", "OP_MSG checksum does not match contents");
        }
        var pos = 4;
        BsonDocument? command = null;
        List<(string Name, BsonArray Docs)>? sequences = null;
        while (pos < end)
        {
            var kind = body[pos++];
            if (kind == 0)
            {
                if (command is not null) throw InvalidBson("OP_MSG has more than one body section");
                var size = ReadDocumentSize(body, pos, end);
                command = ReadDocument(memory.Slice(pos, size));
                pos += size;
            }
            else if (kind == 1)
            {
                if (end - pos < 4) throw InvalidBson("truncated document sequence");
                var size = BinaryPrimitives.ReadInt32LittleEndian(body[pos..]);
                if (size < 5 || size > end - pos) throw InvalidBson("bad document sequence size");
                var seqEnd = pos + size;
                var p = pos + 4;
                var nameEnd = body[p..seqEnd].IndexOf((byte)0);
                if (nameEnd < 0) throw InvalidBson("unterminated sequence identifier");
                var name = Encoding.UTF8.GetString(body.Slice(p, nameEnd));
                p += nameEnd + 1;
                var docs = new BsonArray();
                while (p < seqEnd)
                {
                    var docSize = ReadDocumentSize(body, p, seqEnd);
                    docs.Add(ReadDocument(memory.Slice(p, docSize)));
                    p += docSize;
                }
                (sequences ??= []).Add((name, docs));
                pos = seqEnd;
            }
            else
            {
                throw InvalidBson($"unknown OP_MSG section kind {kind}");
            }
        }
        if (command is null) throw InvalidBson("OP_MSG has no body section");
        if (sequences is not null)
        {
            foreach (var (name, docs) in sequences)
            {
                if (command.Contains(name)) throw InvalidBson($"duplicate field '{name}' in OP_MSG");
                command[name] = docs;
            }
        }
        if (!command.TryGetValue("$db", out var db) || !db.IsString)
            throw new MongoError(40571, "Location40571", "OP_MSG requests require a $db argument");
        return new WireMessage(requestId, OpCodes.Msg, command, db.AsString, (flags & MoreToComeFlag) != 0);
    }

    private static WireMessage DecodeQuery(int requestId, ReadOnlyMemory<byte> memory)
    {
        var body = memory.Span;
        if (body.Length < 4) throw InvalidBson("OP_QUERY too short");
        var pos = 4;
        var nameEnd = body[pos..].IndexOf((byte)0);
        if (nameEnd < 0) throw InvalidBson("unterminated collection name");
        var fullName = Encoding.UTF8.GetString(body.Slice(pos, nameEnd));
        pos += nameEnd + 1 + 8;
        if (pos > body.Length) throw InvalidBson("OP_QUERY too short");
        var size = ReadDocumentSize(body, pos, body.Length);
        var query = ReadDocument(memory.Slice(pos, size));
        var dot = fullName.IndexOf('.');
        var db = dot < 0 ? fullName : fullName[..dot];
        if (!fullName.EndsWith(".$cmd", StringComparison.Ordinal))
            throw new MongoError(5739101, "Location5739101", "OP_QUERY is no longer supported except for commands");
        if (query.ElementCount > 0 && query.GetElement(0).Name is "$query" or "query" && query[0].IsBsonDocument)
            query = query[0].AsBsonDocument;
        return new WireMessage(requestId, OpCodes.Query, query, db, false);
    }

    private static int ReadDocumentSize(ReadOnlySpan<byte> body, int pos, int end)
    {
        if (end - pos < 5) throw InvalidBson("truncated BSON document");
        var size = BinaryPrimitives.ReadInt32LittleEndian(body[pos..]);
        if (size < 5 || size > end - pos) throw InvalidBson("BSON document size does not fit the message");
        if (body[pos + size - 1] != 0) throw InvalidBson("BSON document not terminated");
        return size;
    }

    private static BsonDocument ReadDocument(ReadOnlyMemory<byte> bytes) => Storage.BsonDecoder.Decode(bytes.Span);

    private static MongoError InvalidBson(string message) => new(22, "InvalidBSON", message);

    public static byte[] EncodeMsg(int requestId, int responseTo, BsonDocument reply) =>
        Encode(requestId, responseTo, reply, OpCodes.Msg, headerExtra: 5, (buffer, _) => buffer[4] = 0);

    public static byte[] EncodeReply(int requestId, int responseTo, BsonDocument reply) =>
        Encode(requestId, responseTo, reply, OpCodes.Reply, headerExtra: 20, (buffer, _) => BinaryPrimitives.WriteInt32LittleEndian(buffer[16..], 1));

    private static byte[] Encode(int requestId, int responseTo, BsonDocument reply, int opCode, int headerExtra, SpanAction<byte, int> writeExtra)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        writer.GetSpan(16 + headerExtra)[..(16 + headerExtra)].Clear();
        writer.Advance(16 + headerExtra);
        Storage.BsonEncoder.WriteDocument(writer, reply);
        var message = writer.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), requestId);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(8), responseTo);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), opCode);
        writeExtra(message.AsSpan(16, headerExtra), 0);
        return message;
    }
}
