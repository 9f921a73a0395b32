using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace Monolith.EmbeddedMongo.Tests.Conformance;

/// <summary>One legacy-v1 CRUD spec file: initial data, version gates and its tests, keyed by description.</summary>
internal sealed class LegacySpecFile
{
    public const string DefaultDatabase = "crud-tests";

    private LegacySpecFile(string relativePath, BsonDocument root)
    {
        RelativePath = relativePath;
        Root = root;
        if (root.Contains("schemaVersion") || root.Contains("runOn") || !root.TryGetValue("tests", out var tests) || !tests.IsBsonArray)
            throw new InvalidDataException($"{relativePath} is not a legacy-v1 CRUD spec file");
        var keyed = new List<(string, BsonDocument)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var test in tests.AsBsonArray.Select(t => t.AsBsonDocument))
        {
            index++;
            var key = test.GetValue("description", $"test #{index}").ToString()!;
            if (!seen.Add(key))
                key = $"{key} (#{index})";
            keyed.Add((key, test));
        }
        Tests = keyed;
    }

    public string RelativePath { get; }

    public BsonDocument Root { get; }

    public IReadOnlyList<(string Key, BsonDocument Test)> Tests { get; }

    public string CollectionName => Root.TryGetValue("collection_name", out var n) && n.IsString
        ? n.AsString
        : DefaultCollectionName(RelativePath);

    public IReadOnlyList<BsonDocument> FreshData() =>
        Root.TryGetValue("data", out var data) ? data.AsBsonArray.Select(d => d.AsBsonDocument.DeepClone().AsBsonDocument).ToList() : [];

    public static LegacySpecFile Load(string folder, string relativePath)
    {
        var text = File.ReadAllText(Path.Combine(folder, relativePath));
        return new LegacySpecFile(relativePath, BsonSerializer.Deserialize<BsonDocument>(text));
    }

    /// <summary>The file's base name with anything but letters, digits and '_' replaced by '_'.</summary>
    public static string DefaultCollectionName(string relativePath)
    {
        var name = Path.GetFileNameWithoutExtension(relativePath);
        return new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
    }
}
