using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>One compiled pipeline stage: a lazy transformation of the document stream.</summary>
internal abstract class Stage
{
    public abstract IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input);
}

/// <summary>A stage that maps each document to at most one document; these are the ones an update pipeline allows.</summary>
internal abstract class DocumentStage : Stage
{
    /// <summary>The transformed document (a new instance; the input is never mutated).</summary>
    public abstract BsonDocument Transform(BsonDocument document);

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input) => input.Select(Transform);
}

/// <summary>Where a pipeline is being compiled, which decides the stages it may contain.</summary>
internal enum PipelinePlace
{
    TopLevel,
    Facet,
    Lookup,
    UnionWith,
    Update,
}
