using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;
using Monolith.Shared.Infrastructure.SoftDelete;

namespace Monolith.Modules.Catalog.Domain;

/// <summary>A category as stored in <c>catalog.categories</c>.</summary>
internal sealed class Category : ISoftDeletable
{
    [BsonRepresentation(BsonType.ObjectId)]
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string NameKey { get; set; } = "";

    public string Slug { get; set; } = "";

    [BsonRepresentation(BsonType.ObjectId)]
    public string? ParentId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public long Version { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }
}
