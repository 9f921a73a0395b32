using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>What a filter, projection, update or pipeline is evaluated with: collation, variables ($$NOW, let) and time.</summary>
internal sealed class QueryContext
{
    public static readonly QueryContext Default = new();

    public Collation? Collation { get; init; }

    /// <summary>User variables from a command's <c>let</c> (without the leading <c>$$</c>).</summary>
    public BsonDocument Variables { get; init; } = [];

    public DateTime Now { get; init; } = DateTime.UtcNow;
}
