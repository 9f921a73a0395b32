using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Transactions;

/// <summary>
/// Transfers between accounts in transactions, plain updates of the same documents and readers running at the same
/// time: no reader ever sees half a transfer, and no write, transactional or not, is lost.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class TransactionConcurrencyTests(ReplicaSetServerFixture fixture) : IClassFixture<ReplicaSetServerFixture>
{
    private const int Accounts = 8;
    private const int Initial = 100;
    private const int TransfersPerWriter = 20;
    private const int Writers = 3;
    private const int Touches = 60;

    [Fact]
    public async Task Concurrent_transfers_keep_the_total_for_every_reader_and_plain_writes_to_held_documents_are_not_lost()
    {
        var ct = TestContext.Current.CancellationToken;
        var accounts = fixture.NewDatabase().GetCollection<BsonDocument>("accounts");
        await accounts.InsertManyAsync(Enumerable.Range(0, Accounts).Select(i => new BsonDocument { { "_id", i }, { "balance", Initial }, { "touches", 0 } }), cancellationToken: ct);
        using var done = new CancellationTokenSource();
        var totalsSeen = new List<int>();

        async Task TransferAsync(int writer)
        {
            var random = new Random(writer);
            using var session = await fixture.Client.StartSessionAsync(cancellationToken: ct);
            for (var i = 0; i < TransfersPerWriter; i++)
            {
                var from = random.Next(Accounts);
                var to = (from + 1 + random.Next(Accounts - 1)) % Accounts;
                var amount = random.Next(1, 10);
                await session.WithTransactionAsync(async (s, t) =>
                {
                    await accounts.UpdateOneAsync(s, new BsonDocument("_id", from), new BsonDocument("$inc", new BsonDocument("balance", -amount)), cancellationToken: t);
                    await accounts.UpdateOneAsync(s, new BsonDocument("_id", to), new BsonDocument("$inc", new BsonDocument("balance", amount)), cancellationToken: t);
                    return true;
                }, cancellationToken: ct);
            }
        }

        async Task TouchAsync()
        {
            var random = new Random(99);
            for (var i = 0; i < Touches; i++)
                await accounts.UpdateOneAsync(new BsonDocument("_id", random.Next(Accounts)), new BsonDocument("$inc", new BsonDocument("touches", 1)), cancellationToken: ct);
        }

        async Task ReadAsync(bool inTransaction)
        {
            using var session = await fixture.Client.StartSessionAsync(cancellationToken: ct);
            while (!done.IsCancellationRequested)
            {
                List<BsonDocument> all;
                if (inTransaction)
                {
                    session.StartTransaction();
                    all = await accounts.Find(session, FilterDefinition<BsonDocument>.Empty).ToListAsync(ct);
                    await session.CommitTransactionAsync(ct);
                }
                else
                {
                    all = await accounts.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct);
                }
                lock (totalsSeen) totalsSeen.Add(all.Sum(d => d["balance"].AsInt32));
            }
        }

        var readers = new[] { Task.Run(() => ReadAsync(false), ct), Task.Run(() => ReadAsync(true), ct) };
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() => TransferAsync(w), ct)).Append(Task.Run(TouchAsync, ct)));
        await done.CancelAsync();
        await Task.WhenAll(readers);

        var final = await accounts.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct);
        Assert.Equal(Accounts * Initial, final.Sum(d => d["balance"].AsInt32));
        Assert.Equal(Touches, final.Sum(d => d["touches"].AsInt32));
        Assert.NotEmpty(totalsSeen);
        Assert.All(totalsSeen, total => Assert.Equal(Accounts * Initial, total));
    }
}
