using System.Collections.Concurrent;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;

namespace Monolith.EmbeddedMongo.Tests.Conformance;

/// <summary>
/// A partial runner for the unified test format (crud-unified): client/database/collection entities, initial
/// data, collection operations (mapped as in <see cref="LegacyOperation"/>), expectResult / expectError,
/// commandStartedEvent expectations and outcome. Anything else makes the test "unsupported", never a pass.
/// </summary>
internal sealed class UnifiedSpecRunner(string connectionString, Version serverVersion)
{
    public enum Status { Passed, Failed, Skipped, Unsupported }

    public sealed record Result(string File, string Test, Status Status, string? Reason);

    private static readonly HashSet<string> SecuritySensitive = ["hello", "isMaster", "ismaster", "saslStart", "saslContinue", "getnonce", "authenticate", "configureFailPoint"];

    public async Task<List<Result>> RunFileAsync(string folder, string file, CancellationToken ct)
    {
        var spec = BsonSerializer.Deserialize<BsonDocument>(await File.ReadAllTextAsync(Path.Combine(folder, file), ct));
        var results = new List<Result>();
        var fileSkip = RunOnSkipReason(spec);
        foreach (var test in spec["tests"].AsBsonArray.Select(t => t.AsBsonDocument))
        {
            var description = test.GetValue("description", "").ToString()!;
            var skip = fileSkip ?? RunOnSkipReason(test) ?? (test.TryGetValue("skipReason", out var r) ? "skipReason: " + r : null);
            if (skip is not null)
            {
                results.Add(new(file, description, Status.Skipped, skip));
                continue;
            }
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                var failure = await RunTestAsync(spec, test, timeout.Token);
                results.Add(new(file, description, failure is null ? Status.Passed : Status.Failed, failure));
            }
            catch (UnsupportedSpecException e)
            {
                results.Add(new(file, description, Status.Unsupported, e.Message));
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                results.Add(new(file, description, Status.Failed, $"{e.GetType().Name}: {e.Message}"));
            }
        }
        return results;
    }

    private string? RunOnSkipReason(BsonDocument holder)
    {
        if (!holder.TryGetValue("runOnRequirements", out var requirements))
            return null;
        var reasons = new List<string>();
        foreach (var requirement in requirements.AsBsonArray.Select(r => r.AsBsonDocument))
        {
            var reason = RequirementProblem(requirement);
            if (reason is null)
                return null;
            reasons.Add(reason);
        }
        return "runOnRequirements: " + string.Join(" / ", reasons);
    }

    private string? RequirementProblem(BsonDocument requirement)
    {
        foreach (var e in requirement)
        {
            switch (e.Name)
            {
                case "minServerVersion" when serverVersion < ServerVersion.Parse(e.Value.AsString):
                    return $"server >= {e.Value.AsString}";
                case "maxServerVersion" when serverVersion > ServerVersion.Parse(e.Value.AsString):
                    return $"server <= {e.Value.AsString}";
                case "topologies" when !e.Value.AsBsonArray.Contains("single"):
                    return $"topology {e.Value}";
                case "serverless" when e.Value.AsString == "require":
                    return "serverless";
                case "auth" when e.Value.ToBoolean():
                    return "auth";
                case "csfle" when e.Value.ToBoolean():
                    return "csfle";
                case "serverParameters":
                    return "serverParameters";
            }
        }
        return null;
    }

    private async Task<string?> RunTestAsync(BsonDocument spec, BsonDocument test, CancellationToken ct)
    {
        using var setup = ServerFixture.CreateClient(connectionString);
        if (spec.TryGetValue("initialData", out var initialData))
        {
            foreach (var data in initialData.AsBsonArray.Select(d => d.AsBsonDocument))
            {
                if (data.Contains("createOptions"))
                    throw new UnsupportedSpecException("initialData createOptions");
                var db = setup.GetDatabase(data["databaseName"].AsString);
                await db.DropCollectionAsync(data["collectionName"].AsString, ct);
                var documents = data["documents"].AsBsonArray.Select(d => d.AsBsonDocument).ToList();
                if (documents.Count > 0)
                    await db.GetCollection<BsonDocument>(data["collectionName"].AsString).InsertManyAsync(documents, cancellationToken: ct);
                else
                    await db.CreateCollectionAsync(data["collectionName"].AsString, cancellationToken: ct);
            }
        }

        await using var entities = CreateEntities(spec.GetValue("createEntities", new BsonArray()).AsBsonArray);
        var failures = new List<string>();
        foreach (var operation in test["operations"].AsBsonArray.Select(o => o.AsBsonDocument))
        {
            var failure = await RunOperationAsync(entities, operation, ct);
            if (failure is not null)
                failures.Add($"{operation["name"]}: {failure}");
        }

        if (test.TryGetValue("expectEvents", out var expectEvents))
        {
            foreach (var expectation in expectEvents.AsBsonArray.Select(e => e.AsBsonDocument))
            {
                var failure = CompareEvents(entities, expectation);
                if (failure is not null)
                    failures.Add("events: " + failure);
            }
        }

        if (test.TryGetValue("outcome", out var outcome))
        {
            foreach (var expected in outcome.AsBsonArray.Select(o => o.AsBsonDocument))
            {
                var actual = await setup.GetDatabase(expected["databaseName"].AsString).GetCollection<BsonDocument>(expected["collectionName"].AsString)
                    .Find(FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("_id", 1)).ToListAsync(ct);
                var mismatch = SpecMatcher.MatchList(expected["documents"].AsBsonArray, actual, SpecMatcher.Mode.Exact);
                if (mismatch is not null)
                    failures.Add($"outcome {expected["collectionName"]}: {mismatch}; actual {SpecMatcher.Show(new BsonArray(actual))}");
            }
        }
        return failures.Count == 0 ? null : string.Join(" | ", failures);
    }

    private Entities CreateEntities(BsonArray definitions)
    {
        var entities = new Entities();
        foreach (var definition in definitions.Select(d => d.AsBsonDocument))
        {
            var (kind, body) = (definition.GetElement(0).Name, definition.GetElement(0).Value.AsBsonDocument);
            var id = body["id"].AsString;
            switch (kind)
            {
                case "client":
                    entities.Clients[id] = CreateClient(body);
                    break;
                case "database":
                    if (body.Contains("databaseOptions"))
                        throw new UnsupportedSpecException("databaseOptions");
                    entities.Databases[id] = entities.Clients[body["client"].AsString].Client.GetDatabase(body["databaseName"].AsString);
                    break;
                case "collection":
                    var database = entities.Databases[body["database"].AsString];
                    var collectionSettings = new MongoCollectionSettings();
                    if (body.TryGetValue("collectionOptions", out var options))
                    {
                        foreach (var o in options.AsBsonDocument)
                        {
                            if (o.Name == "readConcern")
                                collectionSettings.ReadConcern = new ReadConcern(ReadConcernLevelOf(o.Value["level"].AsString));
                            else if (o.Name == "writeConcern" && o.Value.AsBsonDocument.Names.All(n => n == "w"))
                                collectionSettings.WriteConcern = o.Value["w"].IsString ? new WriteConcern(o.Value["w"].AsString) : new WriteConcern(o.Value["w"].ToInt32());
                            else
                                throw new UnsupportedSpecException($"collectionOptions {o.Name}");
                        }
                    }
                    entities.Collections[id] = database.GetCollection<BsonDocument>(body["collectionName"].AsString, collectionSettings);
                    break;
                default:
                    throw new UnsupportedSpecException($"entity {kind}");
            }
        }
        return entities;
    }

    private static ReadConcernLevel ReadConcernLevelOf(string level) => level switch
    {
        "local" => ReadConcernLevel.Local,
        "majority" => ReadConcernLevel.Majority,
        "available" => ReadConcernLevel.Available,
        "linearizable" => ReadConcernLevel.Linearizable,
        "snapshot" => ReadConcernLevel.Snapshot,
        _ => throw new UnsupportedSpecException($"readConcern {level}"),
    };

    private ObservedClient CreateClient(BsonDocument body)
    {
        var observed = new ObservedClient();
        foreach (var name in body.Names)
        {
            if (name is not ("id" or "observeEvents" or "ignoreCommandMonitoringEvents" or "useMultipleMongoses" or "uriOptions"))
                throw new UnsupportedSpecException($"client option {name}");
        }
        var observe = body.GetValue("observeEvents", new BsonArray()).AsBsonArray.Select(v => v.AsString).ToList();
        if (observe.Any(e => e != "commandStartedEvent"))
            throw new UnsupportedSpecException("observed events other than commandStartedEvent: " + string.Join(", ", observe));
        var ignored = body.GetValue("ignoreCommandMonitoringEvents", new BsonArray()).AsBsonArray.Select(v => v.AsString).ToHashSet();
        observed.Client = ServerFixture.CreateClient(connectionString, s =>
        {
            if (body.TryGetValue("uriOptions", out var uriOptions))
            {
                foreach (var o in uriOptions.AsBsonDocument)
                {
                    switch (o.Name)
                    {
                        case "retryWrites": s.RetryWrites = o.Value.ToBoolean(); break;
                        case "retryReads": s.RetryReads = o.Value.ToBoolean(); break;
                        case "w": s.WriteConcern = o.Value.IsString ? new WriteConcern(o.Value.AsString) : new WriteConcern(o.Value.ToInt32()); break;
                        default: throw new UnsupportedSpecException($"uriOption {o.Name}");
                    }
                }
            }
            if (observe.Count > 0)
            {
                s.ClusterConfigurator = cb => cb.Subscribe<CommandStartedEvent>(e =>
                {
                    if (observed.Recording && !SecuritySensitive.Contains(e.CommandName) && !ignored.Contains(e.CommandName))
                        observed.Events.Enqueue(new ObservedCommand(e.CommandName, e.DatabaseNamespace.DatabaseName, BsonSerializer.Deserialize<BsonDocument>(e.Command.ToBson())));
                });
            }
        });
        observed.Recording = true;
        return observed;
    }

    private static async Task<string?> RunOperationAsync(Entities entities, BsonDocument operation, CancellationToken ct)
    {
        var name = operation["name"].AsString;
        var target = operation["object"].AsString;
        var arguments = operation.GetValue("arguments", new BsonDocument()).AsBsonDocument;
        foreach (var field in operation.Names)
        {
            if (field is not ("name" or "object" or "arguments" or "expectResult" or "expectError" or "ignoreResultAndError"))
                throw new UnsupportedSpecException($"operation field {field}");
        }

        Func<Task<BsonValue>> run;
        LegacyOperation? mapped = null;
        if (entities.Collections.TryGetValue(target, out var collection))
        {
            if (name == "findOne")
            {
                // A negative limit is how this driver asks for one batch (singleBatch: true), as findOne does.
                var find = LegacyOperation.Prepare(new BsonDocument { { "name", "find" }, { "arguments", new BsonDocument(arguments) { ["limit"] = -1 } } });
                run = async () => await find.ExecuteAsync(collection, ct) is BsonArray { Count: > 0 } docs ? docs[0] : BsonNull.Value;
            }
            else if (name == "createIndex")
            {
                var keys = arguments["keys"].AsBsonDocument;
                var options = new CreateIndexOptions { Name = arguments.GetValue("name", BsonNull.Value) is { IsString: true } n ? n.AsString : null, Unique = arguments.TryGetValue("unique", out var u) ? u.ToBoolean() : null };
                if (arguments.Names.Any(a => a is not ("keys" or "name" or "unique")))
                    throw new UnsupportedSpecException("createIndex arguments " + arguments);
                run = async () => await collection.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(keys, options), cancellationToken: ct);
            }
            else
            {
                mapped = LegacyOperation.Prepare(new BsonDocument { { "name", name }, { "arguments", ToLegacyArguments(name, arguments) } });
                run = () => mapped.ExecuteAsync(collection, ct);
            }
        }
        else if (entities.Databases.TryGetValue(target, out var database) && name is "dropCollection" or "createCollection")
        {
            if (arguments.Names.Any(a => a != "collection"))
                throw new UnsupportedSpecException($"{name} arguments " + arguments);
            var collectionName = arguments["collection"].AsString;
            run = name == "dropCollection"
                ? async () => { await database.DropCollectionAsync(collectionName, ct); return BsonNull.Value; }
                : async () => { await database.CreateCollectionAsync(collectionName, cancellationToken: ct); return BsonNull.Value; };
        }
        else
        {
            throw new UnsupportedSpecException($"operation {name} on {target}");
        }

        BsonValue? result = null;
        Exception? error = null;
        try
        {
            result = await run();
        }
        catch (Exception e) when (e is MongoException or BsonException or ArgumentException or NotSupportedException or InvalidOperationException or FormatException)
        {
            error = e;
        }

        if (operation.GetValue("ignoreResultAndError", false).ToBoolean())
            return null;
        if (operation.TryGetValue("expectError", out var expectError))
            return error is null ? $"expected an error, got {SpecMatcher.Show(result)}" : CompareError(expectError.AsBsonDocument, error, mapped);
        if (error is not null)
            return $"unexpected {error.GetType().Name}: {error.Message}";
        if (operation.TryGetValue("expectResult", out var expected))
            return UnifiedMatcher.Match(expected, result);
        return null;
    }

    private static BsonDocument ToLegacyArguments(string name, BsonDocument arguments)
    {
        if (name != "bulkWrite" || !arguments.TryGetValue("requests", out var requests))
            return arguments;
        var legacy = new BsonDocument(arguments)
        {
            ["requests"] = new BsonArray(requests.AsBsonArray.Select(r =>
            {
                var element = r.AsBsonDocument.GetElement(0);
                return new BsonDocument { { "name", element.Name }, { "arguments", element.Value } };
            })),
        };
        return legacy;
    }

    private static string? CompareError(BsonDocument expectation, Exception error, LegacyOperation? operation)
    {
        var isServerError = error is MongoServerException;
        foreach (var e in expectation)
        {
            switch (e.Name)
            {
                case "isError":
                    break;
                case "isClientError" when e.Value.ToBoolean() == isServerError:
                    return $"expected a {(e.Value.ToBoolean() ? "client" : "server")} error, got {error.GetType().Name}: {error.Message}";
                case "errorContains" when !error.Message.Contains(e.Value.AsString, StringComparison.OrdinalIgnoreCase):
                    return $"expected an error containing \"{e.Value.AsString}\", got {error.Message}";
                case "errorCode" when CodeOf(error) != e.Value.ToInt32():
                    return $"expected error code {e.Value}, got {CodeOf(error)?.ToString() ?? "none"} ({error.GetType().Name}: {error.Message})";
                case "errorCodeName" when CodeNameOf(error) != e.Value.AsString:
                    return $"expected error {e.Value}, got {CodeNameOf(error) ?? "none"} ({error.GetType().Name}: {error.Message})";
                case "expectResult":
                    var partial = operation?.PartialResultOf(error);
                    if (partial is null)
                        return $"expected a partial result {SpecMatcher.Show(e.Value)}, got {error.GetType().Name}";
                    if (UnifiedMatcher.Match(e.Value, partial) is { } mismatch)
                        return "partial result " + mismatch;
                    break;
                case "isClientError" or "errorContains" or "errorCode" or "errorCodeName":
                    break;
                default:
                    throw new UnsupportedSpecException($"expectError {e.Name}");
            }
        }
        return null;
    }

    private static int? CodeOf(Exception error) => error switch
    {
        MongoWriteException w => w.WriteError.Code,
        MongoBulkWriteException b when b.WriteErrors.Count > 0 => b.WriteErrors[0].Code,
        MongoCommandException c => c.Code,
        _ => null,
    };

    private static string? CodeNameOf(Exception error) => error switch
    {
        MongoCommandException c => c.CodeName,
        MongoWriteException w => w.WriteError.Details?.GetValue("codeName", BsonNull.Value) is { IsString: true } n ? n.AsString : null,
        _ => null,
    };

    private static string? CompareEvents(Entities entities, BsonDocument expectation)
    {
        if (expectation.GetValue("eventType", "command").AsString != "command")
            throw new UnsupportedSpecException("eventType " + expectation["eventType"]);
        var client = entities.Clients[expectation["client"].AsString];
        var actual = client.Events.ToList();
        var expected = expectation["events"].AsBsonArray.Select(e => e.AsBsonDocument).ToList();
        var ignoreExtra = expectation.GetValue("ignoreExtraEvents", false).ToBoolean();
        if (actual.Count < expected.Count || (!ignoreExtra && actual.Count != expected.Count))
            return $"expected {expected.Count} command(s), observed {actual.Count}: {string.Join(", ", actual.Select(a => a.CommandName))}";
        for (var i = 0; i < expected.Count; i++)
        {
            var (kind, body) = (expected[i].GetElement(0).Name, expected[i].GetElement(0).Value.AsBsonDocument);
            if (kind != "commandStartedEvent")
                throw new UnsupportedSpecException("expected event " + kind);
            foreach (var field in body)
            {
                var mismatch = field.Name switch
                {
                    "command" => UnifiedMatcher.Match(field.Value, actual[i].Command),
                    "commandName" => field.Value.AsString == actual[i].CommandName ? null : $"expected {field.Value}, observed {actual[i].CommandName}",
                    "databaseName" => field.Value.AsString == actual[i].DatabaseName ? null : $"expected database {field.Value}, observed {actual[i].DatabaseName}",
                    _ => throw new UnsupportedSpecException("commandStartedEvent field " + field.Name),
                };
                if (mismatch is not null)
                    return $"command #{i} ({actual[i].CommandName}) {mismatch}";
            }
        }
        return null;
    }

    /// <summary>A copy of a started command (the driver's event document is only valid during the event).</summary>
    private sealed record ObservedCommand(string CommandName, string DatabaseName, BsonDocument Command);

    private sealed class ObservedClient
    {
        public MongoClient Client { get; set; } = null!;

        public bool Recording { get; set; }

        public ConcurrentQueue<ObservedCommand> Events { get; } = new();
    }

    private sealed class Entities : IAsyncDisposable
    {
        public Dictionary<string, ObservedClient> Clients { get; } = [];

        public Dictionary<string, IMongoDatabase> Databases { get; } = [];

        public Dictionary<string, IMongoCollection<BsonDocument>> Collections { get; } = [];

        public ValueTask DisposeAsync()
        {
            foreach (var c in Clients.Values)
                c.Client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
