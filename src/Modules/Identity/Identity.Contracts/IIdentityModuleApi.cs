namespace Monolith.Modules.Identity.Contracts;

/// <summary>What other modules may ask of identity, in-process today and over the wire once extracted.</summary>
public interface IIdentityModuleApi
{
    /// <summary>A user's public profile, or null when no live user has that id.</summary>
    Task<UserProfile?> FindUserAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>The public face of a user: nothing secret, nothing that changes with every sign-in.</summary>
public sealed record UserProfile(string Id, string Email, string? DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt);
