using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;
using Monolith.Shared.Infrastructure.SoftDelete;

namespace Monolith.Modules.Identity.Domain;

/// <summary>A user as stored in <c>identity.users</c>; the user name is the email address.</summary>
internal sealed class User : ISoftDeletable
{
    [BsonRepresentation(BsonType.ObjectId)]
    public string Id { get; set; } = ObjectId.GenerateNewId().ToString();

    public string UserName { get; set; } = "";

    public string NormalizedUserName { get; set; } = "";

    public string Email { get; set; } = "";

    public string NormalizedEmail { get; set; } = "";

    public bool EmailConfirmed { get; set; }

    public string? DisplayName { get; set; }

    public string? PasswordHash { get; set; }

    /// <summary>Changes whenever credentials change, which invalidates cookies and refresh tokens issued before.</summary>
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>Optimistic concurrency: every update filters on it and replaces it.</summary>
    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>Role names (as created, not normalised).</summary>
    public List<string> Roles { get; set; } = [];

    public bool LockoutEnabled { get; set; } = true;

    public DateTimeOffset? LockoutEnd { get; set; }

    public int AccessFailedCount { get; set; }

    /// <summary>Incremented by every write (with the concurrency stamp); the admin API's ETag (ADR 0007).</summary>
    public long Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }
}
