using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Server;

/// <summary>Documents MongoDB refuses to store are refused with its codes, and nothing is stored.</summary>
public sealed class InsertValidationTests(ServerFixture server)
{
    public static TheoryData<string, int> InvalidDocuments() => new()
    {
        { "{ _id: [1, 2] }", 2 },
        { "{ _id: /x/ }", 2 },
        { "{ _id: { $a: 1 } }", 52 },
    };

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public async Task An_invalid_id_is_refused_and_nothing_is_stored(string document, int code)
    {
        var ct = TestContext.Current.CancellationToken;
        var c = server.NewDatabase().GetCollection<BsonDocument>("c");

        var error = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(BsonDocument.Parse(document), cancellationToken: ct));

        Assert.Equal(code, error.WriteError.Code);
        Assert.Equal(0, await c.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
    }

    [Fact]
    public async Task An_ordered_insert_stops_at_the_first_error_and_an_unordered_one_goes_on()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = server.NewDatabase();
        var ordered = db.GetCollection<BsonDocument>("ordered");
        var unordered = db.GetCollection<BsonDocument>("unordered");
        BsonDocument[] batch = [new BsonDocument("_id", 1), new BsonDocument("_id", 1), new BsonDocument("_id", 2)];

        await Assert.ThrowsAsync<MongoBulkWriteException<BsonDocument>>(() => ordered.InsertManyAsync(batch.Select(d => d.DeepClone().AsBsonDocument), cancellationToken: ct));
        var error = await Assert.ThrowsAsync<MongoBulkWriteException<BsonDocument>>(() => unordered.InsertManyAsync(batch.Select(d => d.DeepClone().AsBsonDocument), new InsertManyOptions { IsOrdered = false }, ct));

        Assert.Equal(1, await ordered.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
        Assert.Equal(2, await unordered.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
        Assert.Equal(1, error.WriteErrors.Single().Index);
    }
}
