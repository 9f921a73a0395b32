using System.Buffers.Binary;
using System.Text;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>
/// Decodes BSON straight from a span into a <see cref="BsonDocument"/>, checking every length, terminator and type
/// byte, so malformed input from the network fails with InvalidBSON instead of reading out of bounds.
/// </summary>
internal static class BsonDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private const int MaxDepth = 200;

    public static BsonDocument Decode(ReadOnlySpan<byte> bytes)
    {
        var pos = 0;
        var document = ReadDocument(bytes, ref pos, 0);
        if (pos != bytes.Length) throw Invalid("trailing bytes after document");
        return document;
    }

    private static int ReadLength(ReadOnlySpan<byte> bytes, int pos, out int end)
    {
        if (bytes.Length - pos < 5) throw Invalid("truncated document");
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[pos..]);
        if (length < 5 || length > bytes.Length - pos) throw Invalid("document length out of bounds");
        end = pos + length - 1;
        if (bytes[end] != 0) throw Invalid("document not terminated by a zero byte");
        return length;
    }

    private static BsonDocument ReadDocument(ReadOnlySpan<byte> bytes, ref int pos, int depth)
    {
        if (depth > MaxDepth) throw Invalid("document nested too deeply");
        ReadLength(bytes, pos, out var end);
        pos += 4;
        var document = new BsonDocument(allowDuplicateNames: false);
        var inner = bytes[..end];
        while (pos < end)
        {
            var type = inner[pos++];
            var name = ReadCString(inner, ref pos, isName: true);
            if (document.Contains(name)) throw Invalid($"duplicate field name '{name}'");
            document.Add(name, ReadValue(inner, type, ref pos, depth));
        }
        if (pos != end) throw Invalid("element overruns its document");
        pos = end + 1;
        return document;
    }

    private static BsonArray ReadArray(ReadOnlySpan<byte> bytes, ref int pos, int depth)
    {
        if (depth > MaxDepth) throw Invalid("document nested too deeply");
        ReadLength(bytes, pos, out var end);
        pos += 4;
        var array = new BsonArray();
        var inner = bytes[..end];
        while (pos < end)
        {
            var type = inner[pos++];
            var terminator = inner[pos..].IndexOf((byte)0);
            if (terminator < 0) throw Invalid("unterminated array index");
            pos += terminator + 1;
            array.Add(ReadValue(inner, type, ref pos, depth));
        }
        if (pos != end) throw Invalid("element overruns its array");
        pos = end + 1;
        return array;
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> bytes, ref int pos, int count)
    {
        if (count < 0 || bytes.Length - pos < count) throw Invalid("value overruns its document");
        var slice = bytes.Slice(pos, count);
        pos += count;
        return slice;
    }

    private static BsonValue ReadValue(ReadOnlySpan<byte> bytes, byte type, ref int pos, int depth)
    {
        switch (type)
        {
            case 0x01:
                return new BsonDouble(BinaryPrimitives.ReadDoubleLittleEndian(Take(bytes, ref pos, 8)));
            case 0x02:
                return new BsonString(ReadString(bytes, ref pos));
            case 0x03:
                return ReadDocument(bytes, ref pos, depth + 1);
            case 0x04:
                return ReadArray(bytes, ref pos, depth + 1);
            case 0x05:
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(Take(bytes, ref pos, 4));
                var subType = (BsonBinarySubType)Take(bytes, ref pos, 1)[0];
                var data = Take(bytes, ref pos, length).ToArray();
                if ((byte)subType == 2)
                {
                    if (data.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(data) != data.Length - 4) throw Invalid("bad old binary length");
                    data = data[4..];
                }
                if (subType is BsonBinarySubType.UuidStandard or BsonBinarySubType.UuidLegacy && data.Length != 16) throw Invalid("UUID must be 16 bytes");
                return new BsonBinaryData(data, subType);
            }
            case 0x06:
                return BsonUndefined.Value;
            case 0x07:
                return new BsonObjectId(new ObjectId(Take(bytes, ref pos, 12).ToArray()));
            case 0x08:
                return Take(bytes, ref pos, 1)[0] switch
                {
                    0 => BsonBoolean.False,
                    1 => BsonBoolean.True,
                    _ => throw Invalid("boolean must be 0 or 1"),
                };
            case 0x09:
                return new BsonDateTime(BinaryPrimitives.ReadInt64LittleEndian(Take(bytes, ref pos, 8)));
            case 0x0A:
                return BsonNull.Value;
            case 0x0B:
            {
                var pattern = ReadCString(bytes, ref pos, isName: false);
                var options = ReadCString(bytes, ref pos, isName: false);
                return new BsonRegularExpression(pattern, options);
            }
            case 0x0C:
            {
                var ns = ReadString(bytes, ref pos);
                var id = new ObjectId(Take(bytes, ref pos, 12).ToArray());
                return new BsonDocument { { "$ref", ns }, { "$id", id } };
            }
            case 0x0D:
                return new BsonJavaScript(ReadString(bytes, ref pos));
            case 0x0E:
                return BsonSymbol.Create(ReadString(bytes, ref pos));
            case 0x0F:
            {
                var start = pos;
                var total = BinaryPrimitives.ReadInt32LittleEndian(Take(bytes, ref pos, 4));
                var code = ReadString(bytes, ref pos);
                var scope = ReadDocument(bytes, ref pos, depth + 1);
                if (pos - start != total) throw Invalid("bad code-with-scope length");
                return new BsonJavaScriptWithScope(code, scope);
            }
            case 0x10:
                return new BsonInt32(BinaryPrimitives.ReadInt32LittleEndian(Take(bytes, ref pos, 4)));
            case 0x11:
                return new BsonTimestamp(BinaryPrimitives.ReadInt64LittleEndian(Take(bytes, ref pos, 8)));
            case 0x12:
                return new BsonInt64(BinaryPrimitives.ReadInt64LittleEndian(Take(bytes, ref pos, 8)));
            case 0x13:
            {
                var raw = Take(bytes, ref pos, 16);
                var low = BinaryPrimitives.ReadUInt64LittleEndian(raw);
                var high = BinaryPrimitives.ReadUInt64LittleEndian(raw[8..]);
                return new BsonDecimal128(Decimal128.FromIEEEBits(high, low));
            }
            case 0xFF:
                return BsonMinKey.Value;
            case 0x7F:
                return BsonMaxKey.Value;
            default:
                throw Invalid($"unknown BSON type 0x{type:x2}");
        }
    }

    private static string ReadString(ReadOnlySpan<byte> bytes, ref int pos)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(Take(bytes, ref pos, 4));
        if (length < 1) throw Invalid("string length must be at least 1");
        var raw = Take(bytes, ref pos, length);
        if (raw[^1] != 0) throw Invalid("string not terminated by a zero byte");
        return Utf8(raw[..^1]);
    }

    private static string ReadCString(ReadOnlySpan<byte> bytes, ref int pos, bool isName)
    {
        var length = bytes[pos..].IndexOf((byte)0);
        if (length < 0) throw Invalid("unterminated name");
        var raw = bytes.Slice(pos, length);
        pos += length + 1;
        return isName ? NameCache.Get(raw) : Utf8(raw);
    }

    private static string Utf8(ReadOnlySpan<byte> raw)
    {
        try
        {
            return StrictUtf8.GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid("invalid UTF-8 in string");
        }
    }

    private static MongoError Invalid(string message) => new(22, "InvalidBSON", "invalid BSON: " + message);

    /// <summary>Field names repeat across documents; reuse their strings instead of allocating one per field.</summary>
    private static class NameCache
    {
        private const int Size = 1024;
        [ThreadStatic] private static string?[]? _entries;

        public static string Get(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length > 32) return Utf8(utf8);
            var entries = _entries ??= new string?[Size];
            var hash = 17;
            foreach (var b in utf8) hash = hash * 31 + b;
            var slot = (hash & int.MaxValue) % Size;
            var cached = entries[slot];
            if (cached is not null && Matches(cached, utf8)) return cached;
            var value = Utf8(utf8);
            entries[slot] = value;
            return value;
        }

        private static bool Matches(string cached, ReadOnlySpan<byte> utf8)
        {
            if (cached.Length != utf8.Length) return false;
            for (var i = 0; i < utf8.Length; i++)
            {
                if (utf8[i] >= 0x80 || cached[i] != utf8[i]) return false;
            }
            return true;
        }
    }
}
