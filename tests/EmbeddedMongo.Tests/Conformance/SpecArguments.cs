using MongoDB.Bson;
using MongoDB.Driver;

namespace Monolith.EmbeddedMongo.Tests.Conformance;

/// <summary>
/// The arguments of one spec operation. Every argument must be read by the operation that maps it;
/// <see cref="EnsureAllRead"/> fails the test on any argument the runner would otherwise ignore.
/// </summary>
internal sealed class SpecArguments
{
    private readonly string _operation;
    private readonly BsonDocument _values;
    private readonly HashSet<string> _read = [];

    public SpecArguments(string operation, BsonDocument values, bool flattenOptions = false)
    {
        _operation = operation;
        _values = values;
        if (flattenOptions && values.TryGetValue("options", out var nested))
        {
            if (nested is not BsonDocument options)
                throw new UnsupportedSpecException($"{operation} \"options\" is not a document");
            _values = new BsonDocument(values.Where(e => e.Name != "options"));
            foreach (var e in options)
                _values[e.Name] = e.Value;
        }
    }

    public BsonValue? Value(string name)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var v) ? v : null;
    }

    public BsonDocument? Document(string name) => Value(name) switch
    {
        null => null,
        BsonDocument d => d,
        var other => throw new UnsupportedSpecException($"{_operation} argument \"{name}\" is {other.BsonType}, expected a document"),
    };

    public BsonDocument RequiredDocument(string name) =>
        Document(name) ?? throw new UnsupportedSpecException($"{_operation} without \"{name}\"");

    public BsonArray RequiredArray(string name) => Value(name) switch
    {
        BsonArray a => a,
        _ => throw new UnsupportedSpecException($"{_operation} without a \"{name}\" array"),
    };

    public FilterDefinition<BsonDocument> Filter() => Document("filter") ?? [];

    public int? Int32(string name) => Value(name) is { IsNumeric: true } v ? v.ToInt32() : null;

    public long? Int64(string name) => Value(name) is { IsNumeric: true } v ? v.ToInt64() : null;

    public bool? Boolean(string name) => Value(name) is { } v ? v.ToBoolean() : null;

    public Collation? Collation() => Document("collation") is { } c ? MongoDB.Driver.Collation.FromBsonDocument(c) : null;

    public TimeSpan? MaxTime() => Int64("maxTimeMS") is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    public IEnumerable<ArrayFilterDefinition>? ArrayFilters() =>
        Value("arrayFilters") switch
        {
            null => null,
            BsonArray a => a.Select(f => (ArrayFilterDefinition)new BsonDocumentArrayFilterDefinition<BsonDocument>(f.AsBsonDocument)).ToList(),
            _ => throw new UnsupportedSpecException($"{_operation} \"arrayFilters\" is not an array"),
        };

    /// <summary>An update document, or an aggregation pipeline given as an array.</summary>
    public UpdateDefinition<BsonDocument> Update() => Value("update") switch
    {
        BsonDocument d => new BsonDocumentUpdateDefinition<BsonDocument>(d),
        BsonArray pipeline => new PipelineUpdateDefinition<BsonDocument>(
            PipelineDefinition<BsonDocument, BsonDocument>.Create(pipeline.Select(s => s.AsBsonDocument))),
        _ => throw new UnsupportedSpecException($"{_operation} without an \"update\" document or pipeline"),
    };

    public ReturnDocument? ReturnDocument() => Value("returnDocument")?.AsString.ToLowerInvariant() switch
    {
        null => null,
        "before" => MongoDB.Driver.ReturnDocument.Before,
        "after" => MongoDB.Driver.ReturnDocument.After,
        var other => throw new UnsupportedSpecException($"returnDocument \"{other}\""),
    };

    public void EnsureAllRead()
    {
        var unread = _values.Names.Where(n => !_read.Contains(n)).ToList();
        if (unread.Count > 0)
            throw new UnsupportedSpecException($"argument(s) {string.Join(", ", unread.Select(n => $"\"{n}\""))} of {_operation}");
    }
}
