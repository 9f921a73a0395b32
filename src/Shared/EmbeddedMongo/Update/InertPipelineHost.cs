using MongoDB.Bson;
using Monolith.EmbeddedMongo.Aggregation;

namespace Monolith.EmbeddedMongo.Update;

/// <summary>The host of update pipelines when the caller gives none: their stages never read or write collections.</summary>
internal sealed class InertPipelineHost : IPipelineHost
{
    public static readonly InertPipelineHost Instance = new();

    public IEnumerable<BsonDocument> ReadCollection(string database, string collection) => throw NotAllowed();

    public void ReplaceCollection(string database, string collection, IReadOnlyList<BsonDocument> documents) => throw NotAllowed();

    public void Insert(string database, string collection, BsonDocument document) => throw NotAllowed();

    public void Replace(string database, string collection, BsonValue id, BsonDocument document) => throw NotAllowed();

    private static MongoError NotAllowed() =>
        MongoError.InvalidOptions("An update pipeline cannot read or write other collections");
}
