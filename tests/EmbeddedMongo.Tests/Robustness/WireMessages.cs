using System.Buffers.Binary;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Tests.Robustness;

/// <summary>Builds raw wire-protocol messages (standard message header, OP_MSG, OP_QUERY) byte by byte.</summary>
internal static class WireMessages
{
    public const int OpReply = 1;
    public const int OpQuery = 2004;
    public const int OpMsg = 2013;
    public const int HeaderSize = 16;

    public static byte[] OpMsgCommand(int requestId, BsonDocument command, uint flags = 0) =>
        Frame(requestId, OpMsg, Concat(UInt32(flags), [0], command.ToBson()));

    /// <summary>An OP_MSG with a kind-0 body and one kind-1 document sequence.</summary>
    public static byte[] OpMsgWithSequence(int requestId, BsonDocument command, string identifier, IEnumerable<BsonDocument> documents)
    {
        var docs = Concat(documents.Select(d => d.ToBson()).ToArray());
        var name = System.Text.Encoding.UTF8.GetBytes(identifier + "\0");
        var section = Concat([1], Int32(4 + name.Length + docs.Length), name, docs);
        return Frame(requestId, OpMsg, Concat(UInt32(0), [0], command.ToBson(), section));
    }

    public static byte[] OpQueryCommand(int requestId, string fullCollectionName, BsonDocument query)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(fullCollectionName + "\0");
        return Frame(requestId, OpQuery, Concat(Int32(0), name, Int32(0), Int32(-1), query.ToBson()));
    }

    /// <summary>A message with the given opcode and body; the length field is the real length.</summary>
    public static byte[] Frame(int requestId, int opCode, byte[] body)
    {
        var header = Concat(Int32(HeaderSize + body.Length), Int32(requestId), Int32(0), Int32(opCode));
        return Concat(header, body);
    }

    public static byte[] WithLength(byte[] message, int length)
    {
        var copy = (byte[])message.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(copy, length);
        return copy;
    }

    public static byte[] Int32(int value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        return b;
    }

    public static byte[] UInt32(uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return b;
    }

    public static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var p in parts)
        {
            p.CopyTo(result, offset);
            offset += p.Length;
        }
        return result;
    }
}
