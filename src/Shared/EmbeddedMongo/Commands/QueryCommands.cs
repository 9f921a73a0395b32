using System.Diagnostics;
using MongoDB.Bson;
using Monolith.EmbeddedMongo.Aggregation;
using Monolith.EmbeddedMongo.Query;
using Monolith.EmbeddedMongo.Storage;

namespace Monolith.EmbeddedMongo.Commands;

/// <summary>find, getMore, killCursors, count, distinct, aggregate and explain.</summary>
internal static class QueryCommands
{
    public static void Register(Dictionary<string, Func<CommandContext, BsonDocument>> handlers)
    {
        handlers["find"] = Find;
        handlers["getMore"] = GetMore;
        handlers["killCursors"] = KillCursors;
        handlers["count"] = Count;
        handlers["distinct"] = Distinct;
        handlers["aggregate"] = Aggregate;
        handlers["explain"] = Explain;
    }

    private static FindOptions ParseFind(CommandContext c)
    {
        var limit = c.OptionalInt64("limit", 0);
        if (limit < 0) throw MongoError.BadValue("limit value must be non-negative");
        var batch = c.OptionalInt64("batchSize", 101);
        if (batch < 0) throw MongoError.BadValue("batchSize value must be non-negative");
        return new FindOptions
        {
            Filter = c.OptionalDocument("filter") ?? [],
            Sort = c.OptionalDocument("sort"),
            Projection = c.OptionalDocument("projection"),
            Skip = c.OptionalInt64("skip", 0),
            Limit = limit,
            Hint = c.Command.GetValue("hint", BsonNull.Value) is { IsBsonNull: false } h ? h : null,
            CollationSpec = c.OptionalDocument("collation"),
            Context = c.QueryContext(),
        };
    }

    private static BsonDocument Find(CommandContext c)
    {
        var options = ParseFind(c);
        var collection = c.Server.Storage.Find(c.Database, c.CollectionName);
        var results = options.Execute(collection);
        var batchSize = (int)c.OptionalInt64("batchSize", 101);
        var singleBatch = c.OptionalBool("singleBatch", false) || (options.Limit > 0 && results.Count <= batchSize && options.Limit <= batchSize);
        return new BsonDocument("cursor", c.Server.Cursors.FirstBatch($"{c.Database}.{c.CollectionName}", results,
            c.Command.Contains("batchSize") ? batchSize : null, singleBatch));
    }

    private static BsonDocument GetMore(CommandContext c)
    {
        if (!c.Argument.IsInt64 && !c.Argument.IsInt32) throw MongoError.TypeMismatch("getMore cursor id must be a long");
        var collection = c.Command.GetValue("collection", BsonNull.Value);
        if (!collection.IsString) throw MongoError.TypeMismatch("BSON field 'getMore.collection' is missing or not a string");
        var batchSize = c.OptionalInt64("batchSize", 0);
        var maxTimeMs = c.OptionalInt64("maxTimeMS", 0);
        return new BsonDocument("cursor", c.Server.Cursors.NextBatch(c.Argument.ToInt64(), $"{c.Database}.{collection.AsString}",
            batchSize > 0 ? (int)batchSize : null, maxTimeMs > 0 ? TimeSpan.FromMilliseconds(maxTimeMs) : null));
    }

    private static BsonDocument KillCursors(CommandContext c)
    {
        var killed = new BsonArray();
        var notFound = new BsonArray();
        foreach (var id in c.OptionalArray("cursors") ?? [])
        {
            (c.Server.Cursors.Kill(id.ToInt64()) ? killed : notFound).Add(id);
        }
        return new BsonDocument
        {
            { "cursorsKilled", killed },
            { "cursorsNotFound", notFound },
            { "cursorsAlive", new BsonArray() },
            { "cursorsUnknown", new BsonArray() },
        };
    }

    private static BsonDocument Count(CommandContext c)
    {
        var options = new FindOptions
        {
            Filter = c.OptionalDocument("query") ?? [],
            Skip = c.OptionalInt64("skip", 0),
            Limit = c.OptionalInt64("limit", 0),
            Hint = c.Command.GetValue("hint", BsonNull.Value) is { IsBsonNull: false } h ? h : null,
            CollationSpec = c.OptionalDocument("collation"),
            Context = c.QueryContext(),
        };
        var collection = c.Server.Storage.Find(c.Database, c.CollectionName);
        if (options.Filter.ElementCount == 0 && collection is not null && options.Skip == 0 && options.Limit == 0)
            return new BsonDocument("n", collection.Count);
        return new BsonDocument("n", options.Execute(collection).Count);
    }

    private static BsonDocument Distinct(CommandContext c)
    {
        var key = c.Command.GetValue("key", BsonNull.Value);
        if (!key.IsString) throw MongoError.TypeMismatch("BSON field 'distinct.key' is missing or not a string");
        var options = new FindOptions
        {
            Filter = c.OptionalDocument("query") ?? [],
            CollationSpec = c.OptionalDocument("collation"),
            Hint = c.Command.GetValue("hint", BsonNull.Value) is { IsBsonNull: false } h ? h : null,
            Context = c.QueryContext(),
        };
        var collection = c.Server.Storage.Find(c.Database, c.CollectionName);
        var values = new List<BsonValue>();
        var seen = new HashSet<BsonValue>(new BsonOrder.EqualityComparer(options.Context.Collation));
        var path = key.AsString.Split('.');
        foreach (var document in options.Execute(collection))
        {
            foreach (var value in ValuesAt(document, path, 0))
            {
                if (seen.Add(value)) values.Add(value);
            }
        }
        return new BsonDocument("values", new BsonArray(values));
    }

    private static IEnumerable<BsonValue> ValuesAt(BsonValue current, string[] path, int depth)
    {
        if (depth == path.Length)
        {
            if (current is BsonArray array)
            {
                foreach (var item in array) yield return item;
            }
            else
            {
                yield return current;
            }
            yield break;
        }
        if (current is BsonDocument doc && doc.TryGetValue(path[depth], out var next))
        {
            foreach (var v in ValuesAt(next, path, depth + 1)) yield return v;
        }
        else if (current is BsonArray array)
        {
            foreach (var item in array.OfType<BsonDocument>())
            {
                foreach (var v in ValuesAt(item, path, depth)) yield return v;
            }
        }
    }

    private static BsonDocument Aggregate(CommandContext c)
    {
        var stages = c.OptionalArray("pipeline") ?? throw MongoError.FailedToParse("BSON field 'aggregate.pipeline' is missing but a required field");
        if (stages.Count > 0 && stages[0] is BsonDocument { ElementCount: 1 } first0 && first0.GetElement(0).Name == "$changeStream")
            return ChangeStreams.ChangeStreamCommand.Open(c, stages);
        var cursorOptions = c.OptionalDocument("cursor");
        if (cursorOptions is null && !c.OptionalBool("explain", false))
            throw MongoError.FailedToParse("The 'cursor' option is required, except for aggregate with the explain argument");
        var context = new PipelineContext { Database = c.Database, Host = new PipelineHost(c.Server.Storage), Query = c.QueryContext() };
        var pipeline = Pipeline.Compile(stages, context);
        IEnumerable<BsonDocument> source;
        string ns;
        if (c.Argument is BsonString)
        {
            ns = $"{c.Database}.{c.CollectionName}";
            var leadingMatch = stages.Count > 0 && stages[0] is BsonDocument first && first.ElementCount == 1 && first.GetElement(0).Name == "$match" && first[0] is BsonDocument m ? m : null;
            source = new FindOptions
            {
                Filter = leadingMatch ?? [],
                CollationSpec = c.OptionalDocument("collation"),
                Hint = c.Command.GetValue("hint", BsonNull.Value) is { IsBsonNull: false } h ? h : null,
                Context = context.Query,
            }.Execute(c.Server.Storage.Find(c.Database, c.CollectionName)).Select(Documents.Materialize);
        }
        else if (c.Argument.IsNumeric && c.Argument.ToInt32() == 1)
        {
            ns = $"{c.Database}.$cmd.aggregate";
            source = [];
        }
        else
        {
            throw MongoError.FailedToParse("Invalid aggregate namespace");
        }
        if (c.OptionalBool("explain", false))
            return new BsonDocument { { "explainVersion", "1" }, { "stages", new BsonArray(stages) } };
        var results = pipeline.Execute(source).ToList();
        if (pipeline.WritesOutput) results.Clear();
        var batchSize = cursorOptions?.GetValue("batchSize", BsonNull.Value) is { IsNumeric: true } b ? b.ToInt32() : (int?)null;
        return new BsonDocument("cursor", c.Server.Cursors.FirstBatch(ns, results, batchSize, false));
    }

    private static BsonDocument Explain(CommandContext c)
    {
        var inner = c.OptionalDocument("explain") ?? throw MongoError.FailedToParse("explain requires a command document");
        var name = inner.GetElement(0).Name;
        var collectionName = inner[0].IsString ? inner[0].AsString : throw MongoError.InvalidNamespace("collection name must be a string");
        var innerContext = new CommandContext(c.Server, c.Connection, inner, c.Database);
        FindOptions options = name switch
        {
            "find" => ParseFind(innerContext),
            "count" => new FindOptions { Filter = innerContext.OptionalDocument("query") ?? [], Context = innerContext.QueryContext(), CollationSpec = innerContext.OptionalDocument("collation") },
            "distinct" => new FindOptions { Filter = innerContext.OptionalDocument("query") ?? [], Context = innerContext.QueryContext(), CollationSpec = innerContext.OptionalDocument("collation") },
            "delete" => WriteFilter(innerContext, "deletes", "q"),
            "update" => WriteFilter(innerContext, "updates", "q"),
            "findAndModify" => new FindOptions { Filter = innerContext.OptionalDocument("query") ?? [], Sort = innerContext.OptionalDocument("sort"), Context = innerContext.QueryContext(), CollationSpec = innerContext.OptionalDocument("collation") },
            "aggregate" => new FindOptions { Filter = LeadingMatch(innerContext), Context = innerContext.QueryContext(), CollationSpec = innerContext.OptionalDocument("collation") },
            _ => throw MongoError.CommandNotFound($"explain {name}"),
        };
        var stats = new ScanStats();
        var watch = Stopwatch.StartNew();
        var results = options.Execute(c.Server.Storage.Find(c.Database, collectionName), stats, out var plan);
        var winning = plan.Describe();
        return new BsonDocument
        {
            { "explainVersion", "1" },
            {
                "queryPlanner", new BsonDocument
                {
                    { "namespace", $"{c.Database}.{collectionName}" },
                    { "parsedQuery", options.Filter },
                    { "winningPlan", winning },
                    { "rejectedPlans", new BsonArray() },
                }
            },
            {
                "executionStats", new BsonDocument
                {
                    { "executionSuccess", true },
                    { "nReturned", results.Count },
                    { "executionTimeMillis", watch.ElapsedMilliseconds },
                    { "totalKeysExamined", stats.KeysExamined },
                    { "totalDocsExamined", stats.DocsExamined },
                    { "executionStages", winning },
                }
            },
            { "command", inner },
            { "serverInfo", new BsonDocument { { "host", Environment.MachineName }, { "port", c.Server.Port }, { "version", AdminCommands.Version } } },
        };
    }

    private static FindOptions WriteFilter(CommandContext c, string field, string filterField)
    {
        var first = c.OptionalArray(field)?.FirstOrDefault() as BsonDocument ?? [];
        return new FindOptions { Filter = first.GetValue(filterField, new BsonDocument()).AsBsonDocument, Context = c.QueryContext(), CollationSpec = first.GetValue("collation", BsonNull.Value) as BsonDocument };
    }

    private static BsonDocument LeadingMatch(CommandContext c) =>
        c.OptionalArray("pipeline") is { Count: > 0 } stages && stages[0] is BsonDocument first && first.ElementCount == 1 && first.GetElement(0).Name == "$match" && first[0] is BsonDocument m ? m : [];
}
