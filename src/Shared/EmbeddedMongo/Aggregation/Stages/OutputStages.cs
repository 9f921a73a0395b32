using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>$out: replaces the target collection with the pipeline's results.</summary>
internal sealed class OutStage(PipelineContext context, string database, string collection) : Stage
{
    public static OutStage Parse(BsonValue spec, PipelineContext context)
    {
        switch (spec)
        {
            case BsonString { Value.Length: > 0 } s:
                return new OutStage(context, context.Database, s.Value);
            case BsonDocument d:
                string? db = null, coll = null;
                foreach (var e in d)
                {
                    switch (e.Name)
                    {
                        case "db":
                            db = e.Value is BsonString dbs ? dbs.Value : throw MongoError.TypeMismatch($"BSON field '$out.db' is the wrong type '{Values.TypeName(e.Value)}', expected type 'string'");
                            break;
                        case "coll":
                            coll = e.Value is BsonString cs ? cs.Value : throw MongoError.TypeMismatch($"BSON field '$out.coll' is the wrong type '{Values.TypeName(e.Value)}', expected type 'string'");
                            break;
                        case "timeseries":
                            throw MongoError.InvalidOptions("$out to a time-series collection is not supported by the embedded server");
                        default:
                            throw new MongoError(40415, "Location40415", $"BSON field '$out.{e.Name}' is an unknown field.");
                    }
                }
                if (db is null) throw new MongoError(40414, "Location40414", "BSON field '$out.db' is missing but a required field");
                if (coll is null) throw new MongoError(40414, "Location40414", "BSON field '$out.coll' is missing but a required field");
                return new OutStage(context, db, coll);
            default:
                throw MongoError.Location(16990, $"$out only supports a string or object argument, not {Values.TypeName(spec)}");
        }
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        var documents = new List<BsonDocument>();
        foreach (var d in input) documents.Add(MergeStage.WithId(d));
        context.Host.ReplaceCollection(database, collection, documents);
        yield break;
    }
}

/// <summary>$merge: writes each result into the target collection, matched on the 'on' fields.</summary>
internal sealed class MergeStage : Stage
{
    private enum Matched { Replace, KeepExisting, Merge, Fail, Pipeline }

    private enum NotMatched { Insert, Discard, Fail }

    private readonly PipelineContext _context;
    private readonly string _database;
    private readonly string _collection;
    private readonly string[][] _on;
    private readonly Matched _whenMatched;
    private readonly NotMatched _whenNotMatched;
    private readonly BsonArray? _updatePipeline;
    private readonly (string Name, Expr Value)[] _let;

    private MergeStage(PipelineContext context, string database, string collection, string[][] on, Matched whenMatched,
        NotMatched whenNotMatched, BsonArray? updatePipeline, (string, Expr)[] let)
    {
        _context = context;
        _database = database;
        _collection = collection;
        _on = on;
        _whenMatched = whenMatched;
        _whenNotMatched = whenNotMatched;
        _updatePipeline = updatePipeline;
        _let = let;
    }

    public static MergeStage Parse(BsonValue spec, PipelineContext context, ParseScope scope)
    {
        if (spec is BsonString s) spec = new BsonDocument("into", s);
        if (spec is not BsonDocument d)
            throw MongoError.Location(51182, $"$merge only supports a string or object argument, not {Values.TypeName(spec)}");
        string? database = null, collection = null;
        string[] on = ["_id"];
        var whenMatched = Matched.Merge;
        var whenNotMatched = NotMatched.Insert;
        BsonArray? pipeline = null;
        BsonDocument? let = null;
        foreach (var e in d)
        {
            switch (e.Name)
            {
                case "into":
                    if (e.Value is BsonString into) (database, collection) = (context.Database, into.Value);
                    else if (e.Value is BsonDocument intoDoc && intoDoc.TryGetValue("coll", out var c) && c is BsonString cs)
                        (database, collection) = (intoDoc.TryGetValue("db", out var db) && db is BsonString dbs ? dbs.Value : context.Database, cs.Value);
                    else throw MongoError.Location(51178, $"$merge 'into' field  must be either a string or an object, but found {Values.TypeName(e.Value)}");
                    break;
                case "on":
                    on = e.Value switch
                    {
                        BsonString one => [one.Value],
                        BsonArray { Count: > 0 } many when many.All(v => v is BsonString) => [.. many.Select(v => v.AsString)],
                        _ => throw MongoError.Location(51186, "$merge 'on' field  must be either a string or an array of strings, but found " + Values.TypeName(e.Value)),
                    };
                    break;
                case "whenMatched":
                    if (e.Value is BsonArray p)
                    {
                        whenMatched = Matched.Pipeline;
                        pipeline = p;
                    }
                    else
                    {
                        whenMatched = e.Value is BsonString wm ? wm.Value switch
                        {
                            "replace" => Matched.Replace,
                            "keepExisting" => Matched.KeepExisting,
                            "merge" => Matched.Merge,
                            "fail" => Matched.Fail,
                            _ => throw MongoError.BadValue($"Enumeration value '{wm.Value}' for field '$merge.whenMatched' is not a valid value."),
                        } : throw MongoError.Location(51191, $"$merge 'whenMatched' field  must be either a string or an array, but found {Values.TypeName(e.Value)}");
                    }
                    break;
                case "whenNotMatched":
                    whenNotMatched = e.Value is BsonString wn ? wn.Value switch
                    {
                        "insert" => NotMatched.Insert,
                        "discard" => NotMatched.Discard,
                        "fail" => NotMatched.Fail,
                        _ => throw MongoError.BadValue($"Enumeration value '{wn.Value}' for field '$merge.whenNotMatched' is not a valid value."),
                    } : throw MongoError.TypeMismatch($"BSON field '$merge.whenNotMatched' is the wrong type '{Values.TypeName(e.Value)}', expected type 'string'");
                    break;
                case "let":
                    let = e.Value as BsonDocument ?? throw MongoError.TypeMismatch($"BSON field '$merge.let' is the wrong type '{Values.TypeName(e.Value)}', expected type 'object'");
                    break;
                default:
                    throw new MongoError(40415, "Location40415", $"BSON field '$merge.{e.Name}' is an unknown field.");
            }
        }
        if (collection is null) throw new MongoError(40414, "Location40414", "BSON field '$merge.into' is missing but a required field");
        if (let is not null && pipeline is null)
            throw MongoError.Location(51199, "Cannot use 'let' variables with 'whenMatched: merge' mode");
        var bindings = (let ?? []).Select(v => (Name: v.Name, Value: ExpressionCompiler.Compile(v.Value, scope))).ToArray();
        if (pipeline is not null)
        {
            var probeScope = new ParseScope(context.Query, [.. bindings.Select(b => b.Name), "new"]);
            Pipeline.CompileUpdate(pipeline, context.Query, probeScope);
        }
        return new MergeStage(context, database!, collection, [.. on.Select(DocumentPaths.Split)], whenMatched, whenNotMatched, pipeline, bindings);
    }

    public static BsonDocument WithId(BsonDocument document)
    {
        if (document.Contains("_id")) return document;
        var copy = new BsonDocument("_id", ObjectId.GenerateNewId());
        copy.AddRange(document.AsEnumerable());
        return copy;
    }

    private BsonDocument Key(BsonDocument document)
    {
        var key = new BsonDocument();
        foreach (var path in _on)
        {
            var value = DocumentPaths.Get(document, path);
            if (Values.IsNullish(value) || value is BsonArray)
            {
                throw MongoError.Location(51132,
                    $"$merge write error: 'on' field cannot be missing, null, undefined or an array: {string.Join('.', path)}");
            }
            key[string.Join('.', path)] = value;
        }
        return key;
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        var comparer = new BsonValueKeyComparer(_context.Query.Collation);
        var target = new Dictionary<BsonValue, BsonDocument>(comparer);
        foreach (var existing in _context.Host.ReadCollection(_database, _collection))
        {
            try
            {
                target[Key(existing)] = existing;
            }
            catch (MongoError)
            {
                // Target documents without the 'on' fields can never match.
            }
        }
        var onIdOnly = _on.Length == 1 && _on[0] is ["_id"];
        foreach (var original in input)
        {
            var document = onIdOnly ? WithId(original) : original;
            var key = Key(document);
            if (target.TryGetValue(key, out var existing))
            {
                var id = existing["_id"];
                BsonDocument? replacement = _whenMatched switch
                {
                    Matched.KeepExisting => null,
                    Matched.Fail => throw MongoError.DuplicateKey($"{_database}.{_collection}", onIdOnly ? "_id_" : string.Join("_1_", _on.Select(p => string.Join('.', p))) + "_1",
                        new BsonDocument(key.Names.Select(n => new BsonElement(n, 1))), key),
                    Matched.Replace => document,
                    Matched.Merge => Merged(existing, document),
                    _ => ApplyUpdatePipeline(existing, document),
                };
                if (replacement is null) continue;
                if (replacement.TryGetValue("_id", out var newId) && !Values.Equal(newId, id, null))
                {
                    throw MongoError.ImmutableField(
                        "$merge failed to update the matching document, did you attempt to modify the _id or the shard key? :: caused by :: " +
                        "Performing an update on the path '_id' would modify the immutable field '_id'");
                }
                var stored = new BsonDocument("_id", id);
                foreach (var e in replacement)
                {
                    if (e.Name != "_id") stored.Add(e);
                }
                _context.Host.Replace(_database, _collection, id, stored);
                target[key] = stored;
            }
            else
            {
                switch (_whenNotMatched)
                {
                    case NotMatched.Discard:
                        continue;
                    case NotMatched.Fail:
                        throw MongoError.Location(13113, "$merge could not find a matching document in the target collection for at least one document in the source collection");
                }
                var inserted = WithId(document);
                _context.Host.Insert(_database, _collection, inserted);
                target[key] = inserted;
            }
        }
        yield break;
    }

    private static BsonDocument Merged(BsonDocument existing, BsonDocument document)
    {
        var result = new BsonDocument(existing.AsEnumerable());
        foreach (var e in document) result[e.Name] = e.Value;
        return result;
    }

    private BsonDocument ApplyUpdatePipeline(BsonDocument existing, BsonDocument document)
    {
        var scope = new Scope(document, _context.Query);
        var variables = new BsonDocument(_context.Query.Variables.AsEnumerable());
        foreach (var (name, value) in _let) variables[name] = value(scope) ?? BsonNull.Value;
        if (_let.Length == 0) variables["new"] = document;
        var query = new Query.QueryContext { Collation = _context.Query.Collation, Now = _context.Query.Now, Variables = variables };
        return Pipeline.CompileUpdate(_updatePipeline!, query).ApplyToDocument(existing);
    }
}
