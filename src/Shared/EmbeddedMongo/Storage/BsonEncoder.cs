using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>Encodes a <see cref="BsonDocument"/> into BSON bytes directly (a raw document is copied as it is).</summary>
internal static class BsonEncoder
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;

    public static byte[] Encode(BsonDocument document)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        WriteDocument(buffer, document);
        var result = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 1 << 20) _buffer = null;
        return result;
    }

    /// <summary>Appends the document's BSON to <paramref name="buffer"/>.</summary>
    public static void WriteDocument(ArrayBufferWriter<byte> buffer, BsonDocument document)
    {
        if (document is RawBsonDocument raw)
        {
            var span = buffer.GetSpan(raw.Slice.Length)[..raw.Slice.Length];
            var bytes = Documents.BytesOf(raw);
            bytes.CopyTo(span);
            buffer.Advance(bytes.Length);
            return;
        }
        var start = buffer.WrittenCount;
        WriteInt32(buffer, 0);
        foreach (var element in document)
        {
            WriteElement(buffer, element.Name, element.Value);
        }
        buffer.GetSpan(1)[0] = 0;
        buffer.Advance(1);
        PatchLength(buffer, start);
    }

    private static void WriteArray(ArrayBufferWriter<byte> buffer, BsonArray array)
    {
        var start = buffer.WrittenCount;
        WriteInt32(buffer, 0);
        for (var i = 0; i < array.Count; i++)
        {
            WriteElement(buffer, IndexName(i), array[i]);
        }
        buffer.GetSpan(1)[0] = 0;
        buffer.Advance(1);
        PatchLength(buffer, start);
    }

    private static readonly string[] IndexNames = Enumerable.Range(0, 1000).Select(i => i.ToString()).ToArray();

    private static string IndexName(int i) => i < IndexNames.Length ? IndexNames[i] : i.ToString();

    private static void PatchLength(ArrayBufferWriter<byte> buffer, int start)
    {
        var length = buffer.WrittenCount - start;
        // ArrayBufferWriter exposes written memory read-only; the backing array is ours to patch.
        var written = System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer.WrittenMemory);
        BinaryPrimitives.WriteInt32LittleEndian(written.Span[start..], length);
    }

    private static void WriteElement(ArrayBufferWriter<byte> buffer, string name, BsonValue value)
    {
        WriteByte(buffer, TypeCode(value));
        WriteCString(buffer, name);
        switch (value.BsonType)
        {
            case BsonType.Double:
                BinaryPrimitives.WriteDoubleLittleEndian(buffer.GetSpan(8), value.AsDouble);
                buffer.Advance(8);
                break;
            case BsonType.String:
                WriteString(buffer, value.AsString);
                break;
            case BsonType.Document:
                WriteDocument(buffer, value.AsBsonDocument);
                break;
            case BsonType.Array:
                WriteArray(buffer, value.AsBsonArray);
                break;
            case BsonType.Binary:
            {
                var binary = value.AsBsonBinaryData;
                var data = binary.Bytes;
                if ((byte)binary.SubType == 2)
                {
                    WriteInt32(buffer, data.Length + 4);
                    WriteByte(buffer, 2);
                    WriteInt32(buffer, data.Length);
                }
                else
                {
                    WriteInt32(buffer, data.Length);
                    WriteByte(buffer, (byte)binary.SubType);
                }
                buffer.Write(data);
                break;
            }
            case BsonType.Undefined:
            case BsonType.Null:
            case BsonType.MinKey:
            case BsonType.MaxKey:
                break;
            case BsonType.ObjectId:
                WriteObjectId(buffer, value.AsObjectId);
                break;
            case BsonType.Boolean:
                WriteByte(buffer, value.AsBoolean ? (byte)1 : (byte)0);
                break;
            case BsonType.DateTime:
                WriteInt64(buffer, value.AsBsonDateTime.MillisecondsSinceEpoch);
                break;
            case BsonType.RegularExpression:
                WriteCString(buffer, value.AsBsonRegularExpression.Pattern);
                WriteCString(buffer, value.AsBsonRegularExpression.Options);
                break;
            case BsonType.JavaScript:
                WriteString(buffer, value.AsBsonJavaScript.Code);
                break;
            case BsonType.Symbol:
                WriteString(buffer, value.AsBsonSymbol.Name);
                break;
            case BsonType.JavaScriptWithScope:
            {
                var start = buffer.WrittenCount;
                WriteInt32(buffer, 0);
                WriteString(buffer, value.AsBsonJavaScriptWithScope.Code);
                WriteDocument(buffer, value.AsBsonJavaScriptWithScope.Scope);
                PatchLength(buffer, start);
                break;
            }
            case BsonType.Int32:
                WriteInt32(buffer, value.AsInt32);
                break;
            case BsonType.Timestamp:
                WriteInt64(buffer, value.AsBsonTimestamp.Value);
                break;
            case BsonType.Int64:
                WriteInt64(buffer, value.AsInt64);
                break;
            case BsonType.Decimal128:
            {
                var d = value.AsDecimal128;
                WriteInt64(buffer, (long)d.GetIEEELowBits());
                WriteInt64(buffer, (long)d.GetIEEEHighBits());
                break;
            }
            default:
                throw new InvalidOperationException($"cannot encode BSON type {value.BsonType}");
        }
    }

    private static byte TypeCode(BsonValue value) => value.BsonType switch
    {
        BsonType.MinKey => 0xFF,
        BsonType.MaxKey => 0x7F,
        var t => (byte)t,
    };

    private static void WriteObjectId(ArrayBufferWriter<byte> buffer, ObjectId id)
    {
        var span = buffer.GetSpan(12);
        id.ToByteSpan(span);
        buffer.Advance(12);
    }

    private static void WriteByte(ArrayBufferWriter<byte> buffer, byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    private static void WriteInt32(ArrayBufferWriter<byte> buffer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> buffer, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    private static void WriteCString(ArrayBufferWriter<byte> buffer, string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length) + 1;
        var span = buffer.GetSpan(max);
        var n = Encoding.UTF8.GetBytes(value, span);
        if (span[..n].IndexOf((byte)0) >= 0) throw new MongoError(2, "BadValue", "field names and regular expressions cannot contain a zero byte");
        span[n] = 0;
        buffer.Advance(n + 1);
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length) + 5;
        var span = buffer.GetSpan(max);
        var n = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, n + 1);
        span[4 + n] = 0;
        buffer.Advance(n + 5);
    }
}
