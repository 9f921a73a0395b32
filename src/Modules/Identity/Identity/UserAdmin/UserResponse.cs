using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Domain;

namespace Monolith.Modules.Identity.UserAdmin;

/// <summary>A user as administrators see it: never the password hash, security stamp or concurrency stamp.</summary>
internal sealed record UserResponse(
    string Id,
    string Email,
    string? DisplayName,
    IReadOnlyList<string> Roles,
    bool EmailConfirmed,
    bool LockedOut,
    DateTimeOffset? LockoutEnd,
    int AccessFailedCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt,
    long Version);

internal sealed record UserPage(IReadOnlyList<UserResponse> Data, string? NextCursor, bool HasMore);

internal static class UserMapping
{
    /// <summary>"Locked indefinitely" is stored as the last representable BSON-safe instant.</summary>
    public static readonly DateTimeOffset Indefinitely = new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);

    public static UserResponse ToResponse(this User u, DateTimeOffset now) => new(
        u.Id, u.Email, u.DisplayName, u.Roles, u.EmailConfirmed,
        u.LockoutEnabled && u.LockoutEnd is { } end && end > now,
        u.LockoutEnd is { } e && e > now ? Timestamps.Stored(e) : null,
        u.AccessFailedCount, Timestamps.Stored(u.CreatedAt), Timestamps.Stored(u.UpdatedAt), Timestamps.Stored(u.DeletedAt), u.Version);
}
