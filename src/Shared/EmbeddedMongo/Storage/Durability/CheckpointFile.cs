using System.Buffers.Binary;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage.Durability;

/// <summary>
/// A consistent image of the whole catalog in one file: per collection a header document (database, name, options,
/// index specs, document count) followed by its documents' BSON, and an end marker document last. A file without
/// the end marker is incomplete and refused.
/// </summary>
internal static class CheckpointFile
{
    private const int BufferSize = 1 << 20;

    /// <summary>Writes the image to <paramref name="path"/> without syncing it. Writes must be paused by the caller.</summary>
    public static void Write(string path, StorageEngine storage)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize);
        var collections = 0;
        foreach (var (database, collection) in storage.AllCollections())
        {
            var header = new BsonDocument
            {
                { "db", database },
                { "name", collection.Name },
                { "options", collection.Options },
                { "indexes", new BsonArray(collection.Indexes.Select(i => i.Definition.Spec)) },
                { "count", collection.Count },
            };
            stream.Write(Documents.ToBytes(header));
            foreach (var (_, bytes) in collection.All()) stream.Write(bytes.Span);
            collections++;
        }
        stream.Write(Documents.ToBytes(new BsonDocument { { "end", true }, { "collections", collections } }));
    }

    public static void Load(string path, StorageEngine storage)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        while (true)
        {
            var header = Documents.FromBytes(ReadDocument(stream, path));
            if (header.Contains("end")) return;
            var collection = storage.Create(header["db"].AsString, header["name"].AsString, header["options"].AsBsonDocument, failIfExists: false);
            foreach (var spec in header["indexes"].AsBsonArray.Skip(1)) collection.AddIndex(IndexDefinition.Parse(spec.AsBsonDocument));
            var count = header["count"].ToInt32();
            for (var i = 0; i < count; i++)
            {
                var bytes = ReadDocument(stream, path);
                collection.Insert(Documents.FromBytes(bytes), bytes);
            }
        }
    }

    private static byte[] ReadDocument(Stream stream, string path)
    {
        Span<byte> sizeBytes = stackalloc byte[4];
        if (stream.ReadAtLeast(sizeBytes, 4, throwOnEndOfStream: false) < 4)
            throw new InvalidDataException($"The checkpoint '{path}' ends early; it is incomplete.");
        var size = BinaryPrimitives.ReadInt32LittleEndian(sizeBytes);
        if (size < 5) throw new InvalidDataException($"The checkpoint '{path}' holds an invalid document length.");
        var buffer = new byte[size];
        sizeBytes.CopyTo(buffer);
        stream.ReadExactly(buffer, 4, size - 4);
        return buffer;
    }
}
