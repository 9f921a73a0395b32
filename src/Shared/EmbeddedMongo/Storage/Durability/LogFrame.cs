using System.Buffers.Binary;
using Monolith.EmbeddedMongo.Wire;

namespace Monolith.EmbeddedMongo.Storage.Durability;

/// <summary>
/// One log record on disk: int32 payload length, CRC-32C of the payload, then the payload
/// (op byte, database, collection, op-specific fields).
/// </summary>
internal static class LogFrame
{
    public const int HeaderSize = 8;

    /// <summary>Smallest payload a writer produces: op byte plus two empty strings' lengths.</summary>
    public const int MinPayload = 9;

    public const int MaxPayload = int.MaxValue - HeaderSize;

    public static void WriteHeader(Span<byte> destination, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Crc32C.Append(0, payload));
    }

    /// <summary>The payload of the frame at <paramref name="offset"/>, or false when no intact frame starts there.</summary>
    public static bool TryRead(ReadOnlySpan<byte> log, long offset, out int payloadLength)
    {
        payloadLength = 0;
        if (log.Length - offset < HeaderSize) return false;
        var header = log[(int)offset..];
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < MinPayload || length > log.Length - offset - HeaderSize) return false;
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (Crc32C.Append(0, header.Slice(HeaderSize, length)) != crc) return false;
        payloadLength = length;
        return true;
    }
}
