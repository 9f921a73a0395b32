using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

// PLACEHOLDER (owned by the aggregation work): $match, $limit, $skip only.
internal sealed class Pipeline
{
    private readonly List<BsonDocument> _stages;
    private readonly PipelineContext _context;

    private Pipeline(List<BsonDocument> stages, PipelineContext context)
    {
        _stages = stages;
        _context = context;
    }

    /// <summary>True when the last stage is $out or $merge: the command then answers with an empty batch.</summary>
    public bool WritesOutput => _stages.Count > 0 && _stages[^1].GetElement(0).Name is "$out" or "$merge";

    public static Pipeline Compile(BsonArray stages, PipelineContext context) =>
        new(stages.Select(s => s.AsBsonDocument).ToList(), context);

    public IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input)
    {
        foreach (var stage in _stages)
        {
            var op = stage.GetElement(0);
            input = op.Name switch
            {
                "$match" => input.Where(Query.Filter.Compile(op.Value.AsBsonDocument, _context.Query).Matches),
                "$limit" => input.Take(op.Value.ToInt32()),
                "$skip" => input.Skip(op.Value.ToInt32()),
                _ => throw MongoError.Location(40324, $"Unrecognized pipeline stage name: '{op.Name}'"),
            };
        }
        return input;
    }
}
