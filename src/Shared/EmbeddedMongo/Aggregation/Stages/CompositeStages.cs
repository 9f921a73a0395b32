using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>$facet: several sub-pipelines over the same input, one output document with an array per facet.</summary>
internal sealed class FacetStage((string Name, Pipeline Pipeline)[] facets) : Stage
{
    public static FacetStage Parse(BsonValue spec, PipelineContext context)
    {
        if (spec is not BsonDocument { ElementCount: > 0 } d)
            throw MongoError.Location(40169, "the $facet specification must be a non-empty object");
        var facets = new List<(string, Pipeline)>();
        foreach (var e in d)
        {
            ExpressionCompiler.ValidateFieldName(e.Name);
            if (e.Value is not BsonArray stages)
                throw MongoError.Location(40170, $"arguments to $facet must be arrays, {e.Name} is type {Values.TypeName(e.Value)}");
            facets.Add((e.Name, Pipeline.Compile(stages, context, PipelinePlace.Facet)));
        }
        return new FacetStage([.. facets]);
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        var documents = input.ToList();
        var result = new BsonDocument();
        foreach (var (name, pipeline) in facets) result[name] = new BsonArray(pipeline.Execute(documents));
        yield return result;
    }
}

/// <summary>$unionWith: the input followed by another collection's documents (optionally through a pipeline).</summary>
internal sealed class UnionWithStage(PipelineContext context, string database, string collection, Pipeline? pipeline) : Stage
{
    public static UnionWithStage Parse(BsonValue spec, PipelineContext context)
    {
        switch (spec)
        {
            case BsonString s:
                return new UnionWithStage(context, context.Database, s.Value, null);
            case BsonDocument d:
                string? coll = null;
                BsonArray? stages = null;
                foreach (var e in d)
                {
                    switch (e.Name)
                    {
                        case "coll":
                            coll = e.Value is BsonString c ? c.Value : throw MongoError.TypeMismatch($"BSON field '$unionWith.coll' is the wrong type '{Values.TypeName(e.Value)}', expected type 'string'");
                            break;
                        case "pipeline":
                            stages = e.Value as BsonArray ?? throw MongoError.TypeMismatch($"BSON field '$unionWith.pipeline' is the wrong type '{Values.TypeName(e.Value)}', expected type 'array'");
                            break;
                        default:
                            throw new MongoError(40415, "Location40415", $"BSON field '$unionWith.{e.Name}' is an unknown field.");
                    }
                }
                if (coll is null && stages is null) throw new MongoError(40414, "Location40414", "BSON field '$unionWith.coll' is missing but a required field");
                return new UnionWithStage(context, context.Database, coll ?? "",
                    stages is null ? null : Pipeline.Compile(stages, context, PipelinePlace.UnionWith));
            default:
                throw MongoError.FailedToParse($"the $unionWith stage specification must be an object or string, but found {Values.TypeName(spec)}");
        }
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        foreach (var d in input) yield return d;
        var other = collection.Length == 0 ? [] : context.Host.ReadCollection(database, collection);
        foreach (var d in pipeline is null ? other : pipeline.Execute(other)) yield return d;
    }
}

/// <summary>$sortByCount: $group by the expression counting, then $sort by count descending.</summary>
internal sealed class SortByCountStage(GroupStage group) : Stage
{
    public static SortByCountStage Parse(BsonValue spec, ParseScope scope)
    {
        var valid = spec is BsonString { Value: ['$', ..] } || ExpressionCompiler.IsOperatorObject(spec);
        if (!valid)
            throw MongoError.Location(40148, "the sortByCount field must be defined as a $-prefixed path or an expression");
        return new SortByCountStage(GroupStage.Parse(new BsonDocument { { "_id", spec }, { "count", new BsonDocument("$sum", 1) } }, scope));
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input) =>
        group.Apply(input).OrderByDescending(d => d["count"], Comparer<BsonValue>.Create((a, b) => Values.Compare(a, b, null)));
}
