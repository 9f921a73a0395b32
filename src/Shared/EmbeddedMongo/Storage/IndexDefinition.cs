using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>An index as a client specified it, validated.</summary>
internal sealed class IndexDefinition
{
    private IndexDefinition(BsonDocument spec, string name, BsonDocument keyPattern, (string Path, int Direction)[] fields)
    {
        Spec = spec;
        Name = name;
        KeyPattern = keyPattern;
        Fields = fields;
    }

    /// <summary>The spec as listIndexes reports it (v, key, name and options).</summary>
    public BsonDocument Spec { get; }
    public string Name { get; }
    public BsonDocument KeyPattern { get; }
    public (string Path, int Direction)[] Fields { get; }
    public bool Unique => Spec.GetValue("unique", false).ToBoolean();
    public bool Sparse => Spec.GetValue("sparse", false).ToBoolean();
    public BsonDocument? PartialFilter => Spec.GetValue("partialFilterExpression", BsonNull.Value) as BsonDocument;
    public double? ExpireAfterSeconds => Spec.TryGetValue("expireAfterSeconds", out var v) && v.IsNumeric ? v.ToDouble() : null;
    public BsonDocument? CollationSpec => Spec.GetValue("collation", BsonNull.Value) as BsonDocument;
    public bool IsIdIndex => Name == "_id_";

    public static IndexDefinition IdIndex() =>
        Parse(new BsonDocument { { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } });

    private static readonly HashSet<string> KnownOptions =
    [
        "key", "name", "unique", "sparse", "partialFilterExpression", "expireAfterSeconds", "collation", "v",
        "background", "hidden", "ns", "weights", "default_language", "language_override", "textIndexVersion",
        "2dsphereIndexVersion", "bits", "min", "max", "storageEngine", "wildcardProjection", "clustered",
    ];

    public static IndexDefinition Parse(BsonDocument raw)
    {
        if (!raw.TryGetValue("key", out var keyValue) || keyValue is not BsonDocument key || key.ElementCount == 0)
            throw new MongoError(9, "FailedToParse", "The 'key' field is a required property of an index specification");
        foreach (var option in raw)
        {
            if (!KnownOptions.Contains(option.Name))
                throw new MongoError(197, "InvalidIndexSpecificationOption", $"The field '{option.Name}' is not valid for an index specification. Specification: {raw.ToJson()}");
        }
        var fields = new List<(string, int)>();
        foreach (var element in key)
        {
            if (element.Name.Length == 0) throw MongoError.CannotCreateIndex("Index keys cannot be empty field names");
            int direction = element.Value switch
            {
                { IsNumeric: true } v when v.ToDouble() > 0 => 1,
                { IsNumeric: true } v when v.ToDouble() < 0 => -1,
                BsonString s when s.Value is "hashed" or "text" or "2d" or "2dsphere" =>
                    throw MongoError.CannotCreateIndex($"Index type '{s.Value}' is not supported by the embedded server"),
                _ => throw MongoError.CannotCreateIndex($"Values in the index key pattern can only be numbers > 0 or < 0; found {element.Value}"),
            };
            fields.Add((element.Name, direction));
        }
        var name = raw.TryGetValue("name", out var n)
            ? n.IsString ? n.AsString : throw new MongoError(14, "TypeMismatch", "The 'name' field must be a string")
            : string.Join("_", key.Select(e => $"{e.Name}_{e.Value}"));
        if (name.Length == 0) throw MongoError.CannotCreateIndex("The index name cannot be empty");
        if (raw.TryGetValue("partialFilterExpression", out var pfe))
        {
            if (pfe is not BsonDocument pf) throw MongoError.CannotCreateIndex("partialFilterExpression must be a document");
            Filter.Compile(pf, QueryContext.Default);
        }
        if (raw.TryGetValue("expireAfterSeconds", out var ttl) && (!ttl.IsNumeric || ttl.ToDouble() < 0))
            throw MongoError.CannotCreateIndex("TTL index 'expireAfterSeconds' option must be a non-negative number");
        var spec = new BsonDocument { { "v", 2 }, { "key", key }, { "name", name } };
        foreach (var option in raw)
        {
            if (option.Name is "key" or "name" or "v" or "ns" or "background") continue;
            spec[option.Name] = option.Value;
        }
        if (name == "_id_" && (spec.Contains("unique") || key.ElementCount != 1 || key.GetElement(0).Name != "_id"))
        {
            spec.Remove("unique");
        }
        return new IndexDefinition(spec, name, key, fields.ToArray());
    }

    /// <summary>Same key and the options that distinguish an index (unique, sparse, partial filter, collation, TTL).</summary>
    public bool SameAs(IndexDefinition other) =>
        KeyPattern.Equals(other.KeyPattern) && Unique == other.Unique && Sparse == other.Sparse &&
        Equals(PartialFilter, other.PartialFilter) && Equals(CollationSpec, other.CollationSpec) &&
        ExpireAfterSeconds == other.ExpireAfterSeconds;
}
