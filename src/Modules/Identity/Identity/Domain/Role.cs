using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;

namespace Monolith.Modules.Identity.Domain;

/// <summary>A role as stored in <c>identity.roles</c>: a name and the permissions it grants its users.</summary>
internal sealed class Role
{
    [BsonRepresentation(BsonType.ObjectId)]
    public string Id { get; set; } = ObjectId.GenerateNewId().ToString();

    public string Name { get; set; } = "";

    public string NormalizedName { get; set; } = "";

    public string? Description { get; set; }

    /// <summary>Permissions (the same names as API scopes, e.g. <c>catalog.write</c>).</summary>
    public List<string> Permissions { get; set; } = [];

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>Incremented by every write (with the concurrency stamp); the admin API's ETag (ADR 0007).</summary>
    public long Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
