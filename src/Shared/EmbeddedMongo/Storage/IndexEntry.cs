using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>One index key (one value per indexed field) pointing at a record.</summary>
internal readonly record struct IndexEntry(BsonValue[] Key, int RecordId);
