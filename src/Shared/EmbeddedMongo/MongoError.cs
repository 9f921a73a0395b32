using MongoDB.Bson;

namespace Monolith.EmbeddedMongo;

/// <summary>An error the server answers with MongoDB's code, code name and optional extra reply fields.</summary>
internal sealed class MongoError(int code, string codeName, string message, BsonDocument? extra = null)
    : Exception(message)
{
    public int Code { get; } = code;
    public string CodeName { get; } = codeName;
    public BsonDocument? Extra { get; } = extra;
    public List<string> Labels { get; } = [];

    public static MongoError BadValue(string message) => new(2, "BadValue", message);
    public static MongoError FailedToParse(string message) => new(9, "FailedToParse", message);
    public static MongoError TypeMismatch(string message) => new(14, "TypeMismatch", message);
    public static MongoError NamespaceNotFound(string message) => new(26, "NamespaceNotFound", message);
    public static MongoError CommandNotFound(string name) =>
        new(59, "CommandNotFound", $"no such command: '{name}'");
    public static MongoError InvalidOptions(string message) => new(72, "InvalidOptions", message);
    public static MongoError InvalidNamespace(string message) => new(73, "InvalidNamespace", message);
    public static MongoError IndexNotFound(string message) => new(27, "IndexNotFound", message);
    public static MongoError NamespaceExists(string message) => new(48, "NamespaceExists", message);
    public static MongoError CursorNotFound(long id) => new(43, "CursorNotFound", $"cursor id {id} not found");
    public static MongoError ImmutableField(string message) => new(66, "ImmutableField", message);
    public static MongoError ConflictingUpdateOperators(string message) => new(40, "ConflictingUpdateOperators", message);
    public static MongoError Location(int code, string message) => new(code, "Location" + code, message);
    public static MongoError InvalidLength(string message) => new(16, "InvalidLength", message);
    public static MongoError IndexOptionsConflict(string message) => new(85, "IndexOptionsConflict", message);
    public static MongoError IndexKeySpecsConflict(string message) => new(86, "IndexKeySpecsConflict", message);
    public static MongoError CannotCreateIndex(string message) => new(67, "CannotCreateIndex", message);
    public static MongoError DollarPrefixedFieldName(string message) => new(52, "DollarPrefixedFieldName", message);
    public static MongoError PathNotViable(string message) => new(28, "PathNotViable", message);
    public static MongoError Unauthorized(string message) => new(13, "Unauthorized", message);

    public static MongoError DuplicateKey(string ns, string indexName, BsonDocument keyPattern, BsonDocument keyValue) =>
        new(11000, "DuplicateKey",
            $"E11000 duplicate key error collection: {ns} index: {indexName} dup key: {keyValue.ToJson()}",
            new BsonDocument { { "keyPattern", keyPattern }, { "keyValue", keyValue } });
}
