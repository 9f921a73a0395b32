using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Monolith.EmbeddedMongo.Storage.Durability;

/// <summary>Builds a log record's payload in a reusable per-thread buffer.</summary>
internal sealed class PayloadWriter
{
    [ThreadStatic] private static PayloadWriter? t_current;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    /// <summary>This thread's writer, emptied and started with the record's op and namespace.</summary>
    public static PayloadWriter Start(LogOp op, string database, string collection)
    {
        var writer = t_current ??= new PayloadWriter();
        if (writer._buffer.Capacity > 1 << 20) writer = t_current = new PayloadWriter();
        writer._buffer.ResetWrittenCount();
        writer.Byte((byte)op);
        writer.String(database);
        writer.String(collection);
        return writer;
    }

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public PayloadWriter Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public PayloadWriter Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public PayloadWriter String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Int32(length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
        return this;
    }

    /// <summary>A BSON document's bytes; they carry their own length.</summary>
    public PayloadWriter Document(ReadOnlySpan<byte> bson)
    {
        _buffer.Write(bson);
        return this;
    }
}
