using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;

namespace Monolith.Modules.Identity.Domain;

/// <summary>
/// An API key as stored in <c>identity.api_keys</c>: the public prefix it is looked up by and the SHA-256 of the whole
/// key, never the key itself (see docs/adr/0016-api-keys.md).
/// </summary>
internal sealed class ApiKey
{
    [BsonRepresentation(BsonType.ObjectId)]
    public string Id { get; set; } = ObjectId.GenerateNewId().ToString();

    /// <summary>Public lookup id, the middle part of <c>mk_&lt;prefix&gt;_&lt;secret&gt;</c>; unique.</summary>
    public string Prefix { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Permissions the key grants (the same names as API scopes, e.g. <c>catalog.write</c>).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>SHA-256 of the full key string.</summary>
    public byte[] SecretHash { get; set; } = [];

    /// <summary>Subject of the administrator who created the key.</summary>
    public string? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
