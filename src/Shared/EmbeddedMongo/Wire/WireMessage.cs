using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Wire;

/// <summary>A decoded request: the command document (kind-1 sequences folded in as arrays) and how to answer it.</summary>
internal sealed record WireMessage(int RequestId, int OpCode, BsonDocument Command, string Database, bool MoreToCome);
