using System.Buffers.Binary;
using System.Text;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage.Durability;

/// <summary>Reads the fields of one log record's payload in the order <see cref="PayloadWriter"/> wrote them.</summary>
internal ref struct PayloadReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _position;

    public bool AtEnd => _position == _payload.Length;

    public byte Byte() => _payload[_position++];

    public int Int32()
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(_payload[_position..]);
        _position += 4;
        return value;
    }

    public string String()
    {
        var length = Int32();
        var value = Encoding.UTF8.GetString(_payload.Slice(_position, length));
        _position += length;
        return value;
    }

    /// <summary>A copy of the next BSON document's bytes.</summary>
    public byte[] DocumentBytes()
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(_payload[_position..]);
        if (length < 5 || length > _payload.Length - _position) throw new InvalidDataException("invalid document length in log record");
        var bytes = _payload.Slice(_position, length).ToArray();
        _position += length;
        return bytes;
    }

    /// <summary>The next <paramref name="length"/> bytes (a nested record of a transaction).</summary>
    public ReadOnlySpan<byte> Bytes(int length)
    {
        if (length < 0 || length > _payload.Length - _position) throw new InvalidDataException("invalid nested record length in log record");
        var bytes = _payload.Slice(_position, length);
        _position += length;
        return bytes;
    }

    public BsonDocument Document() => Documents.FromBytes(DocumentBytes());
}
