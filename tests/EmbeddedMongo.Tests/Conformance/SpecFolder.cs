namespace Monolith.EmbeddedMongo.Tests.Conformance;

/// <summary>
/// Finds the MongoDB specification tests in the <c>shared/</c> folder that sits beside the repository
/// (read at test time, never copied into the repo: their licence is non-commercial share-alike).
/// </summary>
internal static class SpecFolder
{
    /// <summary>Overrides the search: the path of a folder holding crud-legacy/ and crud-unified/.</summary>
    public const string EnvironmentVariable = "MONGO_SPEC_DIR";

    public static string Require(string subfolder)
    {
        var root = FindRoot(out var searched);
        if (root is null)
            throw new DirectoryNotFoundException(
                $"The MongoDB spec tests were not found. Looked for shared/mongo-spec in every folder above " +
                $"{AppContext.BaseDirectory} ({string.Join(", ", searched)}); set {EnvironmentVariable} to override.");
        var path = Path.Combine(root, subfolder);
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"{path} does not exist (spec root {root}).");
        return path;
    }

    /// <summary>Every *.json file under the folder, recursively, as paths relative to it with '/' separators, sorted.</summary>
    public static IReadOnlyList<string> JsonFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string? FindRoot(out List<string> searched)
    {
        searched = [];
        var overridden = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            searched.Add(overridden);
            return Directory.Exists(overridden) ? Path.GetFullPath(overridden) : null;
        }

        // The repository sits next to shared/, so walking up from the test binaries reaches their common parent.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "mongo-spec");
            searched.Add(candidate);
            if (Directory.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
