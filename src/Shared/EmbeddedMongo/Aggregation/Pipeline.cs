using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>A compiled aggregation pipeline: stages as lazy iterators over the input documents.</summary>
internal sealed class Pipeline
{
    private static readonly HashSet<string> UpdateStages =
        ["$addFields", "$set", "$project", "$unset", "$replaceRoot", "$replaceWith"];

    private readonly Stage[] _stages;

    private Pipeline(Stage[] stages, bool writesOutput)
    {
        _stages = stages;
        WritesOutput = writesOutput;
    }

    /// <summary>True when the last stage is $out or $merge: the command then answers with an empty batch.</summary>
    public bool WritesOutput { get; }

    public static Pipeline Compile(BsonArray stages, PipelineContext context) => Compile(stages, context, PipelinePlace.TopLevel);

    internal static Pipeline Compile(BsonArray stages, PipelineContext context, PipelinePlace place)
    {
        var scope = new ParseScope(context.Query);
        var compiled = new Stage[stages.Count];
        var writes = false;
        for (var i = 0; i < stages.Count; i++)
        {
            var (name, spec) = StageOf(stages[i]);
            if (name is "$out" or "$merge")
            {
                if (place != PipelinePlace.TopLevel)
                {
                    throw place == PipelinePlace.Facet
                        ? MongoError.Location(40600, $"{name} is not allowed to be used within a $facet stage")
                        : MongoError.Location(51047, $"{name} is not allowed within a {(place == PipelinePlace.Lookup ? "$lookup" : "$unionWith")}'s sub-pipeline");
                }
                if (i != stages.Count - 1) throw MongoError.Location(40601, $"{name} can only be the final stage in the pipeline");
                writes = true;
            }
            if (name == "$facet" && place == PipelinePlace.Facet)
                throw MongoError.Location(40600, "$facet is not allowed to be used within a $facet stage");
            if (name == "$documents" && i != 0)
                throw MongoError.Location(40602, "$documents is only valid as the first stage in a pipeline");
            compiled[i] = CreateStage(name, spec, context, scope);
        }
        CoalesceSortAndLimit(compiled);
        return new Pipeline(compiled, writes);
    }

    /// <summary>A $sort followed by $skip/$limit only needs to keep skip + limit documents (a bounded heap).</summary>
    private static void CoalesceSortAndLimit(Stage[] stages)
    {
        for (var i = 0; i < stages.Length; i++)
        {
            if (stages[i] is not SortStage sort) continue;
            long skipped = 0;
            for (var j = i + 1; j < stages.Length; j++)
            {
                if (stages[j] is SkipStage skip) skipped = skip.Count > long.MaxValue - skipped ? long.MaxValue : skipped + skip.Count;
                else if (stages[j] is LimitStage limit)
                {
                    sort.Limit = limit.Count > long.MaxValue - skipped ? null : skipped + limit.Count;
                    break;
                }
                else break;
            }
        }
    }

    /// <summary>Compiles an update's pipeline ($set/$addFields/$unset/$project/$replaceRoot/$replaceWith only).</summary>
    public static Pipeline CompileUpdate(BsonArray stages, QueryContext context) =>
        CompileUpdate(stages, context, new ParseScope(context));

    internal static Pipeline CompileUpdate(BsonArray stages, QueryContext context, ParseScope scope)
    {
        var pipelineContext = new PipelineContext { Database = "", Host = NoHost.Instance, Query = context };
        var compiled = new Stage[stages.Count];
        for (var i = 0; i < stages.Count; i++)
        {
            var (name, spec) = StageOf(stages[i]);
            if (!UpdateStages.Contains(name))
            {
                if (name.StartsWith('$') && !IsKnownStage(name))
                    throw MongoError.Location(40324, $"Unrecognized pipeline stage name: '{name}'");
                throw MongoError.InvalidOptions($"{name} is not allowed to be used within an update");
            }
            compiled[i] = CreateStage(name, spec, pipelineContext, scope);
        }
        return new Pipeline(compiled, false);
    }

    public IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input)
    {
        foreach (var stage in _stages) input = stage.Apply(input);
        return input;
    }

    /// <summary>Runs an update pipeline on one document, returning the new document (the input is not mutated).</summary>
    public BsonDocument ApplyToDocument(BsonDocument document)
    {
        foreach (var stage in _stages)
        {
            document = stage is DocumentStage d
                ? d.Transform(document)
                : throw new InvalidOperationException("Only an update pipeline can be applied to a single document.");
        }
        return document;
    }

    private static (string Name, BsonValue Spec) StageOf(BsonValue stage)
    {
        if (stage is not BsonDocument d) throw MongoError.TypeMismatch("Each element of the 'pipeline' array must be an object");
        if (d.ElementCount != 1) throw MongoError.Location(40323, "A pipeline stage specification object must contain exactly one field.");
        var e = d.GetElement(0);
        return (e.Name, e.Value);
    }

    private static bool IsKnownStage(string name) => name is "$match" or "$project" or "$addFields" or "$set" or "$unset"
        or "$group" or "$sort" or "$skip" or "$limit" or "$unwind" or "$lookup" or "$count" or "$facet" or "$replaceRoot"
        or "$replaceWith" or "$sortByCount" or "$sample" or "$unionWith" or "$out" or "$merge" or "$documents" or "$bucket"
        or "$bucketAuto" or "$redact" or "$graphLookup" or "$setWindowFields";

    private static Stage CreateStage(string name, BsonValue spec, PipelineContext context, ParseScope scope) => name switch
    {
        "$match" => MatchStage.Parse(spec, context.Query),
        "$project" => ProjectStage.Parse(spec, scope),
        "$addFields" or "$set" => AddFieldsStage.Parse(name, spec, scope),
        "$unset" => UnsetStage.Parse(spec),
        "$group" => GroupStage.Parse(spec, scope),
        "$sort" => SortStage.Parse(spec, context.Query),
        "$skip" => SkipStage.Parse(spec),
        "$limit" => LimitStage.Parse(spec),
        "$unwind" => UnwindStage.Parse(spec),
        "$lookup" => LookupStage.Parse(spec, context, scope),
        "$count" => CountStage.Parse(spec),
        "$facet" => FacetStage.Parse(spec, context),
        "$replaceRoot" or "$replaceWith" => ReplaceRootStage.Parse(name, spec, scope),
        "$sortByCount" => SortByCountStage.Parse(spec, scope),
        "$sample" => SampleStage.Parse(spec),
        "$unionWith" => UnionWithStage.Parse(spec, context),
        "$out" => OutStage.Parse(spec, context),
        "$merge" => MergeStage.Parse(spec, context, scope),
        "$documents" => DocumentsStage.Parse(spec, scope),
        "$bucket" => BucketStage.Parse(spec, scope),
        "$bucketAuto" => BucketAutoStage.Parse(spec, scope),
        "$redact" => RedactStage.Parse(spec, scope),
        "$graphLookup" => GraphLookupStage.Parse(spec, context, scope),
        "$setWindowFields" => SetWindowFieldsStage.Parse(spec, scope),
        // Clients such as Hangfire.Mongo probe for change streams and fall back to polling on exactly this error.
        "$changeStream" => throw MongoError.Location(40573, "The $changeStream stage is only supported on replica sets"),
        _ => throw MongoError.Location(40324, $"Unrecognized pipeline stage name: '{name}'"),
    };

    private sealed class NoHost : IPipelineHost
    {
        public static readonly NoHost Instance = new();

        private static InvalidOperationException NotAvailable() => new("An update pipeline cannot read or write collections.");

        public IEnumerable<BsonDocument> ReadCollection(string database, string collection) => throw NotAvailable();

        public void ReplaceCollection(string database, string collection, IReadOnlyList<BsonDocument> documents) => throw NotAvailable();

        public void Insert(string database, string collection, BsonDocument document) => throw NotAvailable();

        public void Replace(string database, string collection, BsonValue id, BsonDocument document) => throw NotAvailable();
    }
}
