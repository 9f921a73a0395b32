using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

internal sealed class PipelineContext
{
    public required string Database { get; init; }
    public required IPipelineHost Host { get; init; }
    public QueryContext Query { get; init; } = QueryContext.Default;
}
