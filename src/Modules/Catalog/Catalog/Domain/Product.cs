using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;
using Monolith.Shared.Infrastructure.SoftDelete;

namespace Monolith.Modules.Catalog.Domain;

internal enum ProductStatus
{
    Draft,
    Active,
    Archived,
}

internal sealed class Money
{
    public decimal Amount { get; set; }

    public string Currency { get; set; } = "";
}

/// <summary>A product as stored in <c>catalog.products</c>.</summary>
internal sealed class Product : ISoftDeletable
{
    [BsonRepresentation(BsonType.ObjectId)]
    public string Id { get; set; } = "";

    public string Sku { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Lower-cased name: serves the case-insensitive prefix search and the name sort from one index.</summary>
    public string NameKey { get; set; } = "";

    public string? Description { get; set; }

    public Money Price { get; set; } = new();

    [BsonRepresentation(BsonType.ObjectId)]
    public string? CategoryId { get; set; }

    public List<string> Tags { get; set; } = [];

    public int Stock { get; set; }

    public ProductStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public long Version { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }
}
