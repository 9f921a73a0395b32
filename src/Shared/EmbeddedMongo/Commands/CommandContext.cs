using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Commands;

/// <summary>One command being executed: its document, target database and connection.</summary>
internal sealed class CommandContext(ServerState server, ConnectionState connection, BsonDocument command, string database)
{
    public ServerState Server { get; } = server;
    public ConnectionState Connection { get; } = connection;
    public BsonDocument Command { get; } = command;
    public string Database { get; } = database;
    public string Name => Command.GetElement(0).Name;
    public BsonValue Argument => Command[0];

    /// <summary>The collection the command names in its first field (a string).</summary>
    public string CollectionName =>
        Argument is BsonString s ? s.Value : throw new MongoError(73, "InvalidNamespace", $"collection name has invalid type {Argument.BsonType}");

    public BsonDocument? OptionalDocument(string name) => Command.TryGetValue(name, out var v) && !v.IsBsonNull
        ? v as BsonDocument ?? throw MongoError.TypeMismatch($"BSON field '{Name}.{name}' is the wrong type '{v.BsonType}', expected type 'object'")
        : null;

    public BsonArray? OptionalArray(string name) => Command.TryGetValue(name, out var v) && !v.IsBsonNull
        ? v as BsonArray ?? throw MongoError.TypeMismatch($"BSON field '{Name}.{name}' is the wrong type '{v.BsonType}', expected type 'array'")
        : null;

    public long OptionalInt64(string name, long fallback) => Command.TryGetValue(name, out var v) && !v.IsBsonNull
        ? v.IsNumeric ? v.ToInt64() : throw MongoError.TypeMismatch($"BSON field '{Name}.{name}' is the wrong type '{v.BsonType}', expected a number")
        : fallback;

    public bool OptionalBool(string name, bool fallback) => Command.TryGetValue(name, out var v) && !v.IsBsonNull
        ? v.ToBoolean()
        : fallback;

    /// <summary>The context a command's filters and pipelines run in; <c>let</c> variables are evaluated once, here.</summary>
    public QueryContext QueryContext(BsonDocument? collation = null, BsonDocument? let = null)
    {
        var parsed = Collation.Parse(collation ?? OptionalDocument("collation"));
        var variables = let ?? OptionalDocument("let");
        return new QueryContext
        {
            Collation = parsed,
            Variables = variables is null ? [] : Aggregation.Expressions.EvaluateVariables(variables, new QueryContext { Collation = parsed }),
        };
    }
}
