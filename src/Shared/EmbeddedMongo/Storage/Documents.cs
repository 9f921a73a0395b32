using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>Converts between stored BSON bytes and documents.</summary>
internal static class Documents
{

    public static byte[] ToBytes(BsonDocument document) =>
        document is RawBsonDocument raw ? BytesOf(raw) : BsonEncoder.Encode(document);

    public static BsonDocument FromBytes(ReadOnlySpan<byte> bytes) => BsonDecoder.Decode(bytes);

    public static byte[] BytesOf(RawBsonDocument raw)
    {
        var bytes = new byte[raw.Slice.Length];
        raw.Slice.GetBytes(0, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>An ordinary (mutable) document: raw stored documents are decoded, others returned as they are.</summary>
    public static BsonDocument Materialize(BsonDocument document) =>
        document is RawBsonDocument raw ? FromBytes(BytesOf(raw)) : document;

    /// <summary>A document that serialises by copying its stored bytes (no re-encoding on the way out).</summary>
    public static BsonDocument Raw(ReadOnlyMemory<byte> bytes) => new RawBsonDocument(bytes.ToArray());
}
