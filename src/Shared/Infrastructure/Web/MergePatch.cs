using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.Validation;

namespace Monolith.Shared.Infrastructure.Web;

/// <summary>JSON Merge Patch (RFC 7396): read a patch document safely and apply it to a JSON representation.</summary>
public static class MergePatch
{
    public const string MediaType = "application/merge-patch+json";

    public static async Task<JsonObject> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(contentType, MediaType, StringComparison.OrdinalIgnoreCase) &&
            !string.Equals(contentType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new AppException(415, ErrorCodes.UnsupportedMediaType, $"PATCH bodies must be {MediaType}.");
        }

        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            throw new AppException(400, ErrorCodes.MalformedJson, "The request body is not valid JSON.");
        }

        if (node is not JsonObject patch)
        {
            throw new AppException(400, ErrorCodes.MalformedJson, "A merge patch must be a JSON object.");
        }

        if (MongoSafe.FindUnsafeKey(patch) is { } path)
        {
            throw new AppException(400, ErrorCodes.InvalidFieldName, "Field names starting with '$' or containing '.' are not accepted.",
                new Dictionary<string, string[]> { [path.TrimStart('$', '.')] = ["Field names must not start with '$' or contain '.'."] });
        }

        return patch;
    }

    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/> in place (null removes a member).</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var existing = result[key];
                result.Remove(key);
                result[key] = Apply(existing, value);
            }
        }

        return result;
    }
}
