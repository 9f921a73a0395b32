using MongoDB.Bson;
using MongoDB.Driver;

namespace Monolith.Shared.Infrastructure.SoftDelete;

/// <summary>A document that is hidden, not removed, when deleted; a purge removes it after the retention period.</summary>
public interface ISoftDeletable
{
    DateTimeOffset? DeletedAt { get; }
}

/// <summary>The shared soft-delete convention: a <c>deletedAt</c> field, null or absent while the document is live.</summary>
public static class SoftDelete
{
    public const string Field = "deletedAt";

    public static FilterDefinition<T> Live<T>() => Builders<T>.Filter.Eq(Field, BsonNull.Value);

    public static FilterDefinition<T> Deleted<T>() => Builders<T>.Filter.Ne(Field, BsonNull.Value);
}
