using MongoDB.Bson;
using MongoDB.Driver;

namespace Monolith.EmbeddedMongo.Tests.Conformance;

/// <summary>The server's version from buildInfo, and the spec files' minServerVersion (inclusive) / maxServerVersion (exclusive) gates.</summary>
internal static class ServerVersion
{
    public static async Task<Version> ReadAsync(IMongoClient client, CancellationToken ct)
    {
        var info = await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1), cancellationToken: ct);
        if (info.TryGetValue("versionArray", out var array) && array is BsonArray { Count: >= 2 } parts)
            return new Version(parts[0].ToInt32(), parts[1].ToInt32(), parts.Count > 2 ? Math.Max(0, parts[2].ToInt32()) : 0);
        return Parse(info["version"].AsString);
    }

    public static Version Parse(string text)
    {
        var core = text.Split('-', '+', ' ')[0];
        var parts = core.Split('.').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        while (parts.Count < 3)
            parts.Add(0);
        return new Version(parts[0], parts[1], parts[2]);
    }

    /// <summary>Why a file or test does not apply to this server, or null when it does.</summary>
    public static string? SkipReason(BsonDocument gates, Version server)
    {
        if (gates.TryGetValue("minServerVersion", out var min) && server < Parse(min.AsString))
            return $"requires server >= {min.AsString} (server is {server})";
        if (gates.TryGetValue("maxServerVersion", out var max) && server >= Parse(max.AsString))
            return $"requires server < {max.AsString} (server is {server})";
        return null;
    }
}
