using MongoDB.Bson;
using MongoDB.Driver;

namespace Monolith.EmbeddedMongo.Tests.Conformance;

/// <summary>
/// One legacy-v1 CRUD spec operation mapped onto MongoDB.Driver, and the driver's answer mapped back onto the
/// legacy result shape the spec's expected "result" is written in. All arguments are read and validated
/// before anything reaches the server, so a runner limitation is never mistaken for a server error.
/// </summary>
internal sealed class LegacyOperation
{
    private static readonly HashSet<string> WriteResultOperations =
        ["insertOne", "insertMany", "deleteOne", "deleteMany", "replaceOne", "updateOne", "updateMany", "bulkWrite"];

    private readonly Func<IMongoCollection<BsonDocument>, CancellationToken, Task<BsonValue>> _execute;
    private readonly IReadOnlyList<BsonDocument>? _insertedDocuments;
    private readonly IReadOnlyList<WriteModel<BsonDocument>>? _models;

    private LegacyOperation(
        string name,
        Func<IMongoCollection<BsonDocument>, CancellationToken, Task<BsonValue>> execute,
        bool hasWriteStage = false,
        IReadOnlyList<BsonDocument>? insertedDocuments = null,
        IReadOnlyList<WriteModel<BsonDocument>>? models = null)
    {
        Name = name;
        _execute = execute;
        HasWriteStage = hasWriteStage;
        _insertedDocuments = insertedDocuments;
        _models = models;
    }

    public string Name { get; }

    /// <summary>An aggregate ending in $out or $merge: its outcome is the written collection, not a result.</summary>
    public bool HasWriteStage { get; }

    public bool ReturnsWriteResult => WriteResultOperations.Contains(Name);

    public bool ReturnsDocumentList => Name is "find" or "aggregate";

    public Task<BsonValue> ExecuteAsync(IMongoCollection<BsonDocument> collection, CancellationToken ct) => _execute(collection, ct);

    /// <summary>The partial write result a bulk write error carries (insertMany and bulkWrite), else null.</summary>
    public BsonDocument? PartialResultOf(Exception error) =>
        error is MongoBulkWriteException<BsonDocument> bulk
            ? BulkResult(bulk.Result, bulk.WriteErrors.Select(e => e.Index).ToHashSet())
            : null;

    public static LegacyOperation Prepare(BsonDocument operation)
    {
        if (!operation.TryGetValue("name", out var nameValue) || !nameValue.IsString)
            throw new UnsupportedSpecException("operation without a name");
        if (operation.TryGetValue("object", out var target) && target != "collection")
            throw new UnsupportedSpecException($"operation.object {target}");
        var name = nameValue.AsString;
        var rawArguments = operation.GetValue("arguments", new BsonDocument()).AsBsonDocument;
        var args = new SpecArguments(name, rawArguments, flattenOptions: name is "insertMany" or "bulkWrite");
        var prepared = name switch
        {
            "find" => Find(args),
            "aggregate" => Aggregate(args),
            "count" => Count(args),
            "countDocuments" => CountDocuments(args),
            "estimatedDocumentCount" => EstimatedDocumentCount(args),
            "distinct" => Distinct(args),
            "insertOne" => InsertOne(args),
            "insertMany" => InsertMany(args),
            "deleteOne" or "deleteMany" => Delete(name, args),
            "replaceOne" => ReplaceOne(args),
            "updateOne" or "updateMany" => Update(name, args),
            "findOneAndDelete" => FindOneAndDelete(args),
            "findOneAndReplace" => FindOneAndReplace(args),
            "findOneAndUpdate" => FindOneAndUpdate(args),
            "bulkWrite" => BulkWrite(args),
            _ => throw new UnsupportedSpecException($"operation \"{name}\""),
        };
        args.EnsureAllRead();
        return prepared;
    }

    private static LegacyOperation Find(SpecArguments args)
    {
        var filter = args.Filter();
        var options = new FindOptions<BsonDocument>
        {
            Sort = args.Document("sort"),
            Skip = args.Int32("skip"),
            Limit = args.Int32("limit"),
            BatchSize = args.Int32("batchSize"),
            Projection = args.Document("projection"),
            Collation = args.Collation(),
            Hint = args.Value("hint"),
            Comment = args.Value("comment"),
            MaxTime = args.MaxTime(),
            Max = args.Document("max"),
            Min = args.Document("min"),
            ReturnKey = args.Boolean("returnKey"),
            ShowRecordId = args.Boolean("showRecordId"),
            NoCursorTimeout = args.Boolean("noCursorTimeout"),
            AllowDiskUse = args.Boolean("allowDiskUse"),
            AllowPartialResults = args.Boolean("allowPartialResults"),
            Let = args.Document("let"),
        };
        if (args.Document("modifiers") is { } modifiers)
            ApplyFindModifiers(options, modifiers);
        return new LegacyOperation("find", async (c, ct) =>
        {
            using var cursor = await c.FindAsync(filter, options, ct);
            return new BsonArray(await cursor.ToListAsync(ct));
        });
    }

    private static void ApplyFindModifiers(FindOptions<BsonDocument> options, BsonDocument modifiers)
    {
        foreach (var m in modifiers)
        {
            switch (m.Name)
            {
                case "$comment": options.Comment ??= m.Value; break;
                case "$hint": options.Hint ??= m.Value; break;
                case "$max": options.Max ??= m.Value.AsBsonDocument; break;
                case "$min": options.Min ??= m.Value.AsBsonDocument; break;
                case "$maxTimeMS": options.MaxTime ??= TimeSpan.FromMilliseconds(m.Value.ToInt64()); break;
                case "$returnKey": options.ReturnKey ??= m.Value.ToBoolean(); break;
                case "$showDiskLoc": options.ShowRecordId ??= m.Value.ToBoolean(); break;
                case "$orderby": options.Sort ??= m.Value.AsBsonDocument; break;
                default: throw new UnsupportedSpecException($"find modifier \"{m.Name}\"");
            }
        }
    }

    private static LegacyOperation Aggregate(SpecArguments args)
    {
        var stages = args.RequiredArray("pipeline").Select(s => s.AsBsonDocument).ToList();
        var pipeline = PipelineDefinition<BsonDocument, BsonDocument>.Create(stages);
        var options = new AggregateOptions
        {
            BatchSize = args.Int32("batchSize"),
            Collation = args.Collation(),
            AllowDiskUse = args.Boolean("allowDiskUse"),
            MaxTime = args.MaxTime(),
            BypassDocumentValidation = args.Boolean("bypassDocumentValidation"),
            Hint = args.Value("hint"),
            Comment = args.Value("comment"),
            Let = args.Document("let"),
        };
        var writes = stages.Count > 0 && (stages[^1].Contains("$out") || stages[^1].Contains("$merge"));
        if (writes)
        {
            return new LegacyOperation("aggregate", async (c, ct) =>
            {
                await c.AggregateToCollectionAsync(pipeline, options, ct);
                return BsonNull.Value;
            }, hasWriteStage: true);
        }
        return new LegacyOperation("aggregate", async (c, ct) =>
        {
            using var cursor = await c.AggregateAsync(pipeline, options, ct);
            return new BsonArray(await cursor.ToListAsync(ct));
        });
    }

    private static CountOptions CountOptionsOf(SpecArguments args) => new()
    {
        Skip = args.Int64("skip"),
        Limit = args.Int64("limit"),
        Collation = args.Collation(),
        Hint = args.Value("hint"),
        MaxTime = args.MaxTime(),
        Comment = args.Value("comment"),
    };

    // The spec's "count" is the legacy count command, which only the deprecated Count method sends.
#pragma warning disable CS0618
    private static LegacyOperation Count(SpecArguments args)
    {
        var filter = args.Filter();
        var options = CountOptionsOf(args);
        return new LegacyOperation("count", async (c, ct) => new BsonInt64(await c.CountAsync(filter, options, ct)));
    }
#pragma warning restore CS0618

    private static LegacyOperation CountDocuments(SpecArguments args)
    {
        var filter = args.Filter();
        var options = CountOptionsOf(args);
        return new LegacyOperation("countDocuments", async (c, ct) => new BsonInt64(await c.CountDocumentsAsync(filter, options, ct)));
    }

    private static LegacyOperation EstimatedDocumentCount(SpecArguments args)
    {
        var options = new EstimatedDocumentCountOptions { MaxTime = args.MaxTime(), Comment = args.Value("comment") };
        return new LegacyOperation("estimatedDocumentCount", async (c, ct) => new BsonInt64(await c.EstimatedDocumentCountAsync(options, ct)));
    }

    private static LegacyOperation Distinct(SpecArguments args)
    {
        var field = args.Value("fieldName") is { IsString: true } f ? f.AsString : throw new UnsupportedSpecException("distinct without a string \"fieldName\"");
        var filter = args.Filter();
        var options = new DistinctOptions { Collation = args.Collation(), MaxTime = args.MaxTime(), Comment = args.Value("comment") };
        return new LegacyOperation("distinct", async (c, ct) =>
        {
            using var cursor = await c.DistinctAsync<BsonValue>(field, filter, options, ct);
            return new BsonArray(await cursor.ToListAsync(ct));
        });
    }

    private static LegacyOperation InsertOne(SpecArguments args)
    {
        var document = args.RequiredDocument("document");
        var options = new InsertOneOptions { BypassDocumentValidation = args.Boolean("bypassDocumentValidation"), Comment = args.Value("comment") };
        return new LegacyOperation("insertOne", async (c, ct) =>
        {
            await c.InsertOneAsync(document, options, ct);
            return new BsonDocument("insertedId", document["_id"]);
        });
    }

    private static LegacyOperation InsertMany(SpecArguments args)
    {
        var documents = args.RequiredArray("documents").Select(d => d.AsBsonDocument).ToList();
        var options = new InsertManyOptions
        {
            IsOrdered = args.Boolean("ordered") ?? true,
            BypassDocumentValidation = args.Boolean("bypassDocumentValidation"),
            Comment = args.Value("comment"),
        };
        return new LegacyOperation("insertMany", async (c, ct) =>
        {
            await c.InsertManyAsync(documents, options, ct);
            var ids = new BsonDocument();
            for (var i = 0; i < documents.Count; i++)
                ids[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = documents[i]["_id"];
            return new BsonDocument { { "insertedIds", ids }, { "insertedCount", documents.Count } };
        }, insertedDocuments: documents);
    }

    private static LegacyOperation Delete(string name, SpecArguments args)
    {
        var filter = args.Filter();
        var options = new DeleteOptions { Collation = args.Collation(), Hint = args.Value("hint"), Comment = args.Value("comment"), Let = args.Document("let") };
        return new LegacyOperation(name, async (c, ct) =>
        {
            var result = name == "deleteOne"
                ? await c.DeleteOneAsync(filter, options, ct)
                : await c.DeleteManyAsync(filter, options, ct);
            return result.IsAcknowledged ? new BsonDocument("deletedCount", result.DeletedCount) : Unacknowledged;
        });
    }

    private static LegacyOperation ReplaceOne(SpecArguments args)
    {
        var filter = args.Filter();
        var replacement = args.RequiredDocument("replacement");
        var options = new ReplaceOptions
        {
            IsUpsert = args.Boolean("upsert") ?? false,
            BypassDocumentValidation = args.Boolean("bypassDocumentValidation"),
            Collation = args.Collation(),
            Hint = args.Value("hint"),
            Comment = args.Value("comment"),
            Let = args.Document("let"),
        };
        return new LegacyOperation("replaceOne", async (c, ct) =>
        {
            var r = await c.ReplaceOneAsync(filter, replacement, options, ct);
            return r.IsAcknowledged ? UpdateResultDocument(r.MatchedCount, r.ModifiedCount, r.UpsertedId) : Unacknowledged;
        });
    }

    private static LegacyOperation Update(string name, SpecArguments args)
    {
        var filter = args.Filter();
        var update = args.Update();
        var options = new UpdateOptions
        {
            IsUpsert = args.Boolean("upsert") ?? false,
            ArrayFilters = args.ArrayFilters(),
            BypassDocumentValidation = args.Boolean("bypassDocumentValidation"),
            Collation = args.Collation(),
            Hint = args.Value("hint"),
            Comment = args.Value("comment"),
            Let = args.Document("let"),
        };
        return new LegacyOperation(name, async (c, ct) =>
        {
            var r = name == "updateOne"
                ? await c.UpdateOneAsync(filter, update, options, ct)
                : await c.UpdateManyAsync(filter, update, options, ct);
            return r.IsAcknowledged ? UpdateResultDocument(r.MatchedCount, r.ModifiedCount, r.UpsertedId) : Unacknowledged;
        });
    }

    /// <summary>A write with w: 0 reports no counts.</summary>
    private static BsonDocument Unacknowledged => new("acknowledged", false);

    private static BsonDocument UpdateResultDocument(long matched, long modified, BsonValue? upsertedId) => new()
    {
        { "matchedCount", matched },
        { "modifiedCount", modified },
        { "upsertedCount", upsertedId is null ? 0 : 1 },
        { "upsertedId", upsertedId ?? BsonNull.Value },
    };

    private static LegacyOperation FindOneAndDelete(SpecArguments args)
    {
        var filter = args.Filter();
        var options = new FindOneAndDeleteOptions<BsonDocument>
        {
            Projection = args.Document("projection"),
            Sort = args.Document("sort"),
            Collation = args.Collation(),
            Hint = args.Value("hint"),
            MaxTime = args.MaxTime(),
            Comment = args.Value("comment"),
            Let = args.Document("let"),
        };
        return new LegacyOperation("findOneAndDelete", async (c, ct) =>
            (BsonValue?)await c.FindOneAndDeleteAsync(filter, options, ct) ?? BsonNull.Value);
    }

    private static LegacyOperation FindOneAndReplace(SpecArguments args)
    {
        var filter = args.Filter();
        var replacement = args.RequiredDocument("replacement");
        var options = new FindOneAndReplaceOptions<BsonDocument>
        {
            Projection = args.Document("projection"),
            Sort = args.Document("sort"),
            IsUpsert = args.Boolean("upsert") ?? false,
            ReturnDocument = args.ReturnDocument() ?? ReturnDocument.Before,
            BypassDocumentValidation = args.Boolean("bypassDocumentValidation"),
            Collation = args.Collation(),
            Hint = args.Value("hint"),
            MaxTime = args.MaxTime(),
            Comment = args.Value("comment"),
            Let = args.Document("let"),
        };
        return new LegacyOperation("findOneAndReplace", async (c, ct) =>
            (BsonValue?)await c.FindOneAndReplaceAsync(filter, replacement, options, ct) ?? BsonNull.Value);
    }

    private static LegacyOperation FindOneAndUpdate(SpecArguments args)
    {
        var filter = args.Filter();
        var update = args.Update();
        var options = new FindOneAndUpdateOptions<BsonDocument>
        {
            Projection = args.Document("projection"),
            Sort = args.Document("sort"),
            IsUpsert = args.Boolean("upsert") ?? false,
            ReturnDocument = args.ReturnDocument() ?? ReturnDocument.Before,
            ArrayFilters = args.ArrayFilters(),
            BypassDocumentValidation = args.Boolean("bypassDocumentValidation"),
            Collation = args.Collation(),
            Hint = args.Value("hint"),
            MaxTime = args.MaxTime(),
            Comment = args.Value("comment"),
            Let = args.Document("let"),
        };
        return new LegacyOperation("findOneAndUpdate", async (c, ct) =>
            (BsonValue?)await c.FindOneAndUpdateAsync(filter, update, options, ct) ?? BsonNull.Value);
    }

    private static LegacyOperation BulkWrite(SpecArguments args)
    {
        var models = args.RequiredArray("requests").Select((r, i) => BulkModel(r.AsBsonDocument, i)).ToList();
        var options = new BulkWriteOptions
        {
            IsOrdered = args.Boolean("ordered") ?? true,
            BypassDocumentValidation = args.Boolean("bypassDocumentValidation"),
            Comment = args.Value("comment"),
            Let = args.Document("let"),
        };
        LegacyOperation? operation = null;
        operation = new LegacyOperation("bulkWrite", async (c, ct) =>
        {
            var result = await c.BulkWriteAsync(models, options, ct);
            return result.IsAcknowledged ? operation!.BulkResult(result, []) : Unacknowledged;
        }, models: models);
        return operation;
    }

    private static WriteModel<BsonDocument> BulkModel(BsonDocument request, int index)
    {
        var name = request.GetValue("name", "").AsString;
        var args = new SpecArguments($"bulkWrite request #{index} ({name})", request.GetValue("arguments", new BsonDocument()).AsBsonDocument);
        WriteModel<BsonDocument> model = name switch
        {
            "insertOne" => new InsertOneModel<BsonDocument>(args.RequiredDocument("document")),
            "updateOne" => new UpdateOneModel<BsonDocument>(args.Filter(), args.Update())
            {
                IsUpsert = args.Boolean("upsert") ?? false, ArrayFilters = args.ArrayFilters(), Collation = args.Collation(), Hint = args.Value("hint"),
            },
            "updateMany" => new UpdateManyModel<BsonDocument>(args.Filter(), args.Update())
            {
                IsUpsert = args.Boolean("upsert") ?? false, ArrayFilters = args.ArrayFilters(), Collation = args.Collation(), Hint = args.Value("hint"),
            },
            "replaceOne" => new ReplaceOneModel<BsonDocument>(args.Filter(), args.RequiredDocument("replacement"))
            {
                IsUpsert = args.Boolean("upsert") ?? false, Collation = args.Collation(), Hint = args.Value("hint"),
            },
            "deleteOne" => new DeleteOneModel<BsonDocument>(args.Filter()) { Collation = args.Collation(), Hint = args.Value("hint") },
            "deleteMany" => new DeleteManyModel<BsonDocument>(args.Filter()) { Collation = args.Collation(), Hint = args.Value("hint") },
            _ => throw new UnsupportedSpecException($"bulkWrite request #{index} \"{name}\""),
        };
        args.EnsureAllRead();
        return model;
    }

    /// <summary>
    /// The legacy bulk write result. The driver does not report inserted ids, so they are the _ids of the
    /// processed insert requests (by their index in the request list) that did not fail.
    /// </summary>
    private BsonDocument BulkResult(BulkWriteResult<BsonDocument> result, HashSet<int> failedIndexes)
    {
        var insertedIds = new BsonDocument();
        foreach (var processed in result.ProcessedRequests.OfType<InsertOneModel<BsonDocument>>())
        {
            var index = IndexOfInsert(processed);
            if (index >= 0 && !failedIndexes.Contains(index))
                insertedIds[index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = processed.Document["_id"];
        }
        var upsertedIds = new BsonDocument();
        foreach (var upsert in result.Upserts.OrderBy(u => u.Index))
            upsertedIds[upsert.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = upsert.Id;
        var sorted = new BsonDocument(insertedIds.OrderBy(e => int.Parse(e.Name, System.Globalization.CultureInfo.InvariantCulture)));
        return new BsonDocument
        {
            { "deletedCount", result.DeletedCount },
            { "insertedCount", result.InsertedCount },
            { "insertedIds", sorted },
            { "matchedCount", result.MatchedCount },
            { "modifiedCount", result.IsModifiedCountAvailable ? result.ModifiedCount : 0 },
            { "upsertedCount", result.Upserts.Count },
            { "upsertedIds", upsertedIds },
        };
    }

    private int IndexOfInsert(InsertOneModel<BsonDocument> processed)
    {
        if (_models is not null)
        {
            for (var i = 0; i < _models.Count; i++)
            {
                if (_models[i] is InsertOneModel<BsonDocument> m && ReferenceEquals(m.Document, processed.Document))
                    return i;
            }
        }
        if (_insertedDocuments is not null)
        {
            for (var i = 0; i < _insertedDocuments.Count; i++)
            {
                if (ReferenceEquals(_insertedDocuments[i], processed.Document))
                    return i;
            }
        }
        return -1;
    }
}
