using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>What a pipeline may ask of the storage: read other collections ($lookup, $unionWith) and write ($out, $merge).</summary>
internal interface IPipelineHost
{
    /// <summary>All documents of a collection (empty when it does not exist).</summary>
    IEnumerable<BsonDocument> ReadCollection(string database, string collection);

    /// <summary>Atomically replaces the collection's contents (creating it), keeping its indexes ($out).</summary>
    void ReplaceCollection(string database, string collection, IReadOnlyList<BsonDocument> documents);

    /// <summary>Inserts one document; throws <see cref="MongoError"/> on duplicate key.</summary>
    void Insert(string database, string collection, BsonDocument document);

    /// <summary>Replaces the document whose _id equals the given one; throws <see cref="MongoError"/> on duplicate key.</summary>
    void Replace(string database, string collection, BsonValue id, BsonDocument document);
}
