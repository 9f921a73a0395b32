using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Domain;

namespace Monolith.Modules.Identity.RoleAdmin;

/// <summary>A role as administrators see it (never the concurrency stamp).</summary>
internal sealed record RoleResponse(
    string Id, string Name, string? Description, IReadOnlyList<string> Permissions, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version);

internal sealed record RolePage(IReadOnlyList<RoleResponse> Data, string? NextCursor, bool HasMore);

internal static class RoleMapping
{
    public static RoleResponse ToResponse(this Role r) => new(r.Id, r.Name, r.Description, r.Permissions, Timestamps.Stored(r.CreatedAt), Timestamps.Stored(r.UpdatedAt), r.Version);
}
