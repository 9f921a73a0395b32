using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>
/// Saves every collection to <c>dbpath</c> on a clean stop and loads it on start: one file per collection holding a
/// header document (options, index specs) followed by the documents, written to a temporary file then renamed.
/// </summary>
internal static class SnapshotFiles
{
    private const int FormatVersion = 1;
    private const string VersionFile = "storage.version";
    private const string Extension = ".col";

    public static void Load(string path, StorageEngine storage)
    {
        Directory.CreateDirectory(path);
        var versionPath = Path.Combine(path, VersionFile);
        if (File.Exists(versionPath))
        {
            var text = File.ReadAllText(versionPath).Trim();
            if (!int.TryParse(text, out var version) || version > FormatVersion)
                throw new InvalidOperationException($"The data directory '{path}' was written by storage format version '{text}', newer than this server's version {FormatVersion}. Use a newer server or another --dbpath.");
        }
        else
        {
            File.WriteAllText(versionPath, FormatVersion.ToString());
        }
        foreach (var file in Directory.EnumerateFiles(path, "*" + Extension, SearchOption.AllDirectories))
        {
            var database = Uri.UnescapeDataString(Path.GetFileName(Path.GetDirectoryName(file)!));
            var name = Uri.UnescapeDataString(Path.GetFileNameWithoutExtension(file));
            using var stream = File.OpenRead(file);
            var header = ReadNext(stream) ?? throw new InvalidDataException($"'{file}' has no header");
            var collection = storage.Create(database, name, header["options"].AsBsonDocument, failIfExists: false);
            foreach (var spec in header["indexes"].AsBsonArray.Skip(1)) collection.AddIndex(IndexDefinition.Parse(spec.AsBsonDocument));
            while (ReadNext(stream) is { } document) collection.Insert(document);
        }
    }

    public static void Save(string path, StorageEngine storage)
    {
        Directory.CreateDirectory(path);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (database, collection) in storage.AllCollections())
        {
            var directory = Path.Combine(path, Uri.EscapeDataString(database));
            Directory.CreateDirectory(directory);
            var file = Path.Combine(directory, Uri.EscapeDataString(collection.Name) + Extension);
            var temp = file + ".tmp";
            collection.Lock.EnterReadLock();
            try
            {
                using (var stream = File.Create(temp))
                {
                    var header = new BsonDocument
                    {
                        { "options", collection.Options },
                        { "indexes", new BsonArray(collection.Indexes.Select(i => i.Definition.Spec)) },
                    };
                    stream.Write(Documents.ToBytes(header));
                    foreach (var (_, bytes) in collection.All()) stream.Write(bytes.Span);
                    stream.Flush(flushToDisk: true);
                }
            }
            finally
            {
                collection.Lock.ExitReadLock();
            }
            File.Move(temp, file, overwrite: true);
            written.Add(Path.GetFullPath(file));
        }
        foreach (var stale in Directory.EnumerateFiles(path, "*" + Extension, SearchOption.AllDirectories))
        {
            if (!written.Contains(Path.GetFullPath(stale))) File.Delete(stale);
        }
    }

    private static BsonDocument? ReadNext(Stream stream)
    {
        Span<byte> sizeBytes = stackalloc byte[4];
        var read = stream.ReadAtLeast(sizeBytes, 4, throwOnEndOfStream: false);
        if (read == 0) return null;
        if (read < 4) throw new InvalidDataException("truncated document length");
        var size = BitConverter.ToInt32(sizeBytes);
        if (size < 5) throw new InvalidDataException("invalid document length");
        var buffer = new byte[size];
        sizeBytes.CopyTo(buffer);
        stream.ReadExactly(buffer, 4, size - 4);
        return Documents.FromBytes(buffer);
    }
}
