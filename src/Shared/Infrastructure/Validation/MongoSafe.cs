using System.Text.Json.Nodes;
using FluentValidation;

namespace Monolith.Shared.Infrastructure.Validation;

/// <summary>
/// Guards against NoSQL injection: a user-supplied key that starts with '$' or contains '.' would reach MongoDB as an
/// operator or a path, so it is rejected before anything is built from it.
/// </summary>
public static class MongoSafe
{
    public static bool IsSafeKey(string key) => key.Length > 0 && !key.StartsWith('$') && !key.Contains('.') && !key.Contains('\0');

    /// <summary>Returns the JSON path of the first unsafe key anywhere in the document, or null when all are safe.</summary>
    public static string? FindUnsafeKey(JsonNode? node, string path = "$")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (!IsSafeKey(key))
                    {
                        return $"{path}.{key}";
                    }

                    if (FindUnsafeKey(value, $"{path}.{key}") is { } nested)
                    {
                        return nested;
                    }
                }

                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (FindUnsafeKey(array[i], $"{path}[{i}]") is { } nested)
                    {
                        return nested;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    public static IRuleBuilderOptions<T, IDictionary<string, string>?> SafeKeys<T>(this IRuleBuilder<T, IDictionary<string, string>?> rule) =>
        rule.Must(d => d is null || d.Keys.All(IsSafeKey))
            .WithMessage("Keys must not start with '$' or contain '.'.");
}
