using MongoDB.Bson;
using Monolith.EmbeddedMongo.Aggregation;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Update;

/// <summary>
/// An update given as an aggregation pipeline of the stages MongoDB allows in updates, compiled and run on one
/// document by the aggregation engine; this class only tells apart stages that exist but are not allowed in an update
/// (InvalidOptions) from unknown ones (40324) over MongoDB's whole stage list.
/// </summary>
internal sealed class PipelineUpdate
{
    private static readonly HashSet<string> AllowedStages =
        ["$addFields", "$set", "$project", "$unset", "$replaceRoot", "$replaceWith"];

    private static readonly HashSet<string> OtherStages =
    [
        "$match", "$group", "$sort", "$limit", "$skip", "$unwind", "$lookup", "$graphLookup", "$out", "$merge", "$count",
        "$facet", "$bucket", "$bucketAuto", "$sortByCount", "$sample", "$geoNear", "$unionWith", "$redact", "$densify",
        "$fill", "$setWindowFields", "$documents", "$collStats", "$indexStats", "$listSessions", "$changeStream",
        "$currentOp", "$planCacheStats", "$search", "$searchMeta", "$vectorSearch", "$listLocalSessions",
    ];

    private readonly Pipeline _pipeline;

    private PipelineUpdate(Pipeline pipeline) => _pipeline = pipeline;

    public static PipelineUpdate Compile(BsonArray stages, QueryContext context)
    {
        foreach (var stage in stages)
        {
            if (stage is not BsonDocument { ElementCount: > 0 } doc)
                throw MongoError.TypeMismatch("Each element of the 'pipeline' array must be an object");
            var name = doc.GetElement(0).Name;
            if (AllowedStages.Contains(name)) continue;
            if (OtherStages.Contains(name))
                throw MongoError.InvalidOptions($"{name} is not allowed to be used within an update");
            throw MongoError.Location(40324, $"Unrecognized pipeline stage name: '{name}'");
        }
        return new PipelineUpdate(Pipeline.CompileUpdate(stages, context));
    }

    /// <summary>The pipeline's output for <paramref name="document"/>, which is not mutated.</summary>
    public BsonDocument Run(BsonDocument document) => _pipeline.ApplyToDocument(document);
}
