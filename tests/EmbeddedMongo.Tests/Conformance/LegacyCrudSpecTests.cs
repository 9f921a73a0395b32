using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Conformance;

/// <summary>
/// Every test of shared/mongo-spec/crud-legacy (MongoDB's CRUD spec tests, legacy-v1 format), read at test
/// time and run through MongoDB.Driver against the embedded server: one theory case per spec test.
/// </summary>
public sealed class LegacyCrudSpecTests(ServerFixture server)
{
    private const string Folder = "crud-legacy";
    private const string MissingFolder = "(spec folder missing)";

    // Test fields whose meaning this runner does not implement: a test with one fails rather than passing silently.
    private static readonly string[] UnsupportedTestFields =
        ["operations", "failPoint", "clientOptions", "expectations", "collectionOptions", "useMultipleMongoses"];

    private static Version? _serverVersion;

    public static IEnumerable<TheoryDataRow<string, string>> Cases()
    {
        string folder;
        try
        {
            folder = SpecFolder.Require(Folder);
        }
        catch (DirectoryNotFoundException e)
        {
            return [new TheoryDataRow<string, string>(MissingFolder, e.Message)];
        }
        var rows = new List<TheoryDataRow<string, string>>();
        foreach (var file in SpecFolder.JsonFiles(folder))
        {
            LegacySpecFile spec;
            try
            {
                spec = LegacySpecFile.Load(folder, file);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or InvalidCastException)
            {
                rows.Add(new TheoryDataRow<string, string>(file, "(file) " + e.Message));
                continue;
            }
            rows.AddRange(spec.Tests.Select(t => new TheoryDataRow<string, string>(file, t.Key)));
        }
        return rows;
    }

    [Fact]
    public void The_spec_folder_is_found_and_holds_test_files()
    {
        var folder = SpecFolder.Require(Folder);
        Assert.NotEmpty(SpecFolder.JsonFiles(folder));
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Cases))]
    public async Task Runs(string file, string test)
    {
        Assert.False(file == MissingFolder, test);
        var ct = TestContext.Current.CancellationToken;
        var folder = SpecFolder.Require(Folder);
        var spec = LegacySpecFile.Load(folder, file);
        var definition = spec.Tests.FirstOrDefault(t => t.Key == test).Test
            ?? throw new InvalidOperationException($"{file} has no test \"{test}\" (the file changed since discovery?)");

        _serverVersion ??= await ServerVersion.ReadAsync(server.Client, ct);
        var skip = ServerVersion.SkipReason(spec.Root, _serverVersion) ?? ServerVersion.SkipReason(definition, _serverVersion);
        if (skip is not null)
            Assert.Skip(skip);
        if (definition.TryGetValue("skipReason", out var reason))
            Assert.Skip("skipReason: " + reason);

        var failures = await RunAsync(spec, definition, ct);
        Assert.True(failures.Count == 0, $"{file} :: {test}\n" + string.Join("\n", failures));
    }

    private async Task<List<string>> RunAsync(LegacySpecFile spec, BsonDocument test, CancellationToken ct)
    {
        foreach (var field in UnsupportedTestFields)
        {
            if (test.Contains(field))
                throw new UnsupportedSpecException($"test field \"{field}\"");
        }
        var operation = LegacyOperation.Prepare(test["operation"].AsBsonDocument);
        var outcome = test.GetValue("outcome", new BsonDocument()).AsBsonDocument;

        // Each case gets its own database, so cases can run in parallel and never see each other's data.
        var database = server.NewDatabase("crud_" + spec.CollectionName);
        var collection = database.GetCollection<BsonDocument>(spec.CollectionName);
        var data = spec.FreshData();
        if (data.Count > 0)
            await collection.InsertManyAsync(data, new InsertManyOptions { IsOrdered = true }, ct);

        BsonValue? result = null;
        Exception? error = null;
        try
        {
            result = await operation.ExecuteAsync(collection, ct);
        }
        catch (MongoException e)
        {
            error = e;
        }

        var failures = new List<string>();
        var errorExpected = outcome.GetValue("error", false).ToBoolean();
        if (errorExpected && error is null)
            failures.Add($"expected an error, but {operation.Name} succeeded with {SpecMatcher.Show(result)}");
        else if (!errorExpected && error is not null)
            failures.Add($"unexpected error from {operation.Name}: {error.GetType().Name}: {error.Message}");

        if (outcome.TryGetValue("result", out var expected) && !operation.HasWriteStage)
        {
            var actual = error is null ? result : operation.PartialResultOf(error);
            if (actual is not null)
            {
                var mismatch = Compare(operation, expected, actual);
                if (mismatch is not null)
                    failures.Add($"result {mismatch}; expected {SpecMatcher.Show(expected)}, actual {SpecMatcher.Show(actual)}");
            }
            else if (errorExpected && operation.Name is "insertMany" or "bulkWrite")
            {
                failures.Add($"expected an error carrying a write result {SpecMatcher.Show(expected)}, got {error?.GetType().Name}: {error?.Message}");
            }
        }

        if (outcome.TryGetValue("collection", out var expectedCollection))
        {
            var name = expectedCollection.AsBsonDocument.GetValue("name", spec.CollectionName).AsString;
            var expectedData = expectedCollection["data"].AsBsonArray;
            var actualData = await database.GetCollection<BsonDocument>(name)
                .Find(FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("_id", 1)).ToListAsync(ct);
            var mismatch = SpecMatcher.MatchList(expectedData, actualData, SpecMatcher.Mode.Subset);
            if (mismatch is not null)
                failures.Add($"collection {name} {mismatch}; expected {SpecMatcher.Show(expectedData)}, actual {SpecMatcher.Show(new BsonArray(actualData))}");
        }

        return failures;
    }

    private static string? Compare(LegacyOperation operation, BsonValue expected, BsonValue actual)
    {
        if (operation.ReturnsWriteResult)
            return SpecMatcher.Match(expected, actual, SpecMatcher.Mode.Root);
        if (operation.ReturnsDocumentList && expected is BsonArray list && actual is BsonArray docs)
            return SpecMatcher.MatchList(list, docs, SpecMatcher.Mode.Subset);
        return SpecMatcher.Match(expected, actual, SpecMatcher.Mode.Subset);
    }
}
