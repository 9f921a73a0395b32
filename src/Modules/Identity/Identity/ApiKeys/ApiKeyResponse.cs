using Monolith.Modules.Identity.Domain;

namespace Monolith.Modules.Identity.ApiKeys;

/// <summary>An API key as listed: never the key or its hash.</summary>
internal sealed record ApiKeyResponse(
    string Id,
    string Prefix,
    string Name,
    IReadOnlyList<string> Scopes,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt);

/// <summary>The answer to creating a key: the only time the key itself is shown.</summary>
internal sealed record ApiKeyCreatedResponse(
    string Id,
    string Key,
    string Prefix,
    string Name,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt);

internal sealed record ApiKeyPage(IReadOnlyList<ApiKeyResponse> Data, string? NextCursor, bool HasMore);

internal static class ApiKeyMapping
{
    public static ApiKeyResponse ToResponse(this ApiKey k) =>
        new(k.Id, k.Prefix, k.Name, k.Scopes, k.CreatedBy, k.CreatedAt, k.LastUsedAt, k.ExpiresAt, k.RevokedAt);
}
