using System.Buffers.Binary;
using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;
using static Monolith.EmbeddedMongo.Tests.Robustness.WireMessages;

namespace Monolith.EmbeddedMongo.Tests.Robustness;

/// <summary>
/// A bounded fuzz run: mutated copies of valid OP_MSG messages (seeded, so a failure can be replayed), each
/// followed on the same connection by a valid ping that must be answered, unless the server closed the
/// connection. Afterwards the server still answers a new driver connection and data stored before is intact.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class FuzzTests(ServerFixture server)
{
    private const int Seed = 20_240_613;
    private const int Iterations = 2_000;
    private const int PingRequestId = 0x0BADF00D;

    [Fact(Timeout = 180_000)]
    public async Task Mutated_messages_never_hang_or_crash_the_server_nor_corrupt_stored_data()
    {
        var ct = TestContext.Current.CancellationToken;
        var keep = server.NewDatabase("fuzz_keep").GetCollection<BsonDocument>("kept");
        var stored = Enumerable.Range(0, 200).Select(i => new BsonDocument { { "_id", i }, { "name", $"doc {i}" }, { "tags", new BsonArray { i % 3, "t" + i } } }).ToList();
        await keep.InsertManyAsync(stored.Select(d => d.DeepClone().AsBsonDocument), cancellationToken: ct);
        await keep.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("name")), cancellationToken: ct);

        var target = ServerFixture.UniqueDatabaseName("fuzz_target");
        var templates = Templates(target);
        var random = new Random(Seed);
        RawConnection? connection = null;
        var closed = 0;
        var answered = 0;
        try
        {
            for (var i = 0; i < Iterations; i++)
            {
                var template = templates[random.Next(templates.Count)];
                var (message, framed) = Mutate(template, random);
                connection ??= await RawConnection.OpenAsync(server.ConnectionString, ct);
                var context = $"iteration {i} (seed {Seed}), message {Convert.ToHexString(message.AsSpan(0, Math.Min(message.Length, 200)))}";
                try
                {
                    if (!await ExchangeAsync(connection, message, framed, ct))
                    {
                        closed++;
                        connection.Dispose();
                        connection = null;
                    }
                    else
                    {
                        answered++;
                    }
                }
                catch (TimeoutException e)
                {
                    Assert.Fail($"The server hung: {e.Message}; {context}");
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }

        TestContext.Current.SendDiagnosticMessage($"fuzz: {Iterations} messages, connection kept {answered} times, closed {closed} times");
        using var client = server.CreateClient();
        var ping = await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: ct);
        Assert.Equal(1.0, ping["ok"].ToDouble());
        var back = await client.GetDatabase(keep.Database.DatabaseNamespace.DatabaseName).GetCollection<BsonDocument>("kept")
            .Find(FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("_id", 1)).ToListAsync(ct);
        Assert.Equal(stored, back);
        var byIndex = await keep.Find(new BsonDocument("name", "doc 123")).ToListAsync(ct);
        Assert.Equal([stored[123]], byIndex);
    }

    /// <summary>
    /// Sends the message then (when framing is intact) a ping, and reads until the ping's reply. False when the
    /// server closed the connection, which is an acceptable answer to bad input. A framing-breaking message is
    /// followed by end of stream, so the server sees where the input stops.
    /// </summary>
    private static async Task<bool> ExchangeAsync(RawConnection connection, byte[] message, bool framed, CancellationToken ct)
    {
        if (!framed)
        {
            if (await connection.TrySendAsync(message, ct))
                connection.EndSending();
            await connection.ReadUntilClosedAsync(ct);
            return false;
        }
        var ping = OpMsgCommand(PingRequestId, BadInputCases.PingDocument("admin"));
        if (!await connection.TrySendAsync(WireMessages.Concat(message, ping), ct))
            return false;
        while (await connection.ReadReplyAsync(ct) is { } reply)
        {
            if (reply.ResponseTo == PingRequestId)
                return true;
        }
        return false;
    }

    private static List<byte[]> Templates(string db)
    {
        var requestId = 100;
        var commands = new[]
        {
            new BsonDocument { { "ping", 1 }, { "$db", "admin" } },
            new BsonDocument { { "hello", 1 }, { "$db", "admin" } },
            new BsonDocument { { "insert", "c" }, { "documents", new BsonArray { new BsonDocument { { "_id", 1 }, { "a", "x" }, { "n", 1.5 } } } }, { "ordered", false }, { "$db", db } },
            new BsonDocument { { "find", "c" }, { "filter", new BsonDocument("a", new BsonDocument("$in", new BsonArray { "x", "y" })) }, { "sort", new BsonDocument("n", -1) }, { "limit", 5 }, { "$db", db } },
            new BsonDocument { { "update", "c" }, { "updates", new BsonArray { new BsonDocument { { "q", new BsonDocument("_id", 1) }, { "u", new BsonDocument("$inc", new BsonDocument("n", 1)) }, { "upsert", true } } } }, { "$db", db } },
            new BsonDocument { { "delete", "c" }, { "deletes", new BsonArray { new BsonDocument { { "q", new BsonDocument("a", "zz") }, { "limit", 1 } } } }, { "$db", db } },
            new BsonDocument { { "aggregate", "c" }, { "pipeline", new BsonArray { new BsonDocument("$match", new BsonDocument("n", new BsonDocument("$gte", 0))), new BsonDocument("$group", new BsonDocument { { "_id", "$a" }, { "t", new BsonDocument("$sum", "$n") } }) } }, { "cursor", new BsonDocument() }, { "$db", db } },
            new BsonDocument { { "findAndModify", "c" }, { "query", new BsonDocument("_id", 2) }, { "update", new BsonDocument("$set", new BsonDocument("b", new BsonArray { 1, 2, 3 })) }, { "upsert", true }, { "new", true }, { "$db", db } },
            new BsonDocument { { "createIndexes", "c" }, { "indexes", new BsonArray { new BsonDocument { { "key", new BsonDocument("a", 1) }, { "name", "a_1" } } } }, { "$db", db } },
        };
        var messages = commands.Select(c => OpMsgCommand(requestId++, c)).ToList();
        messages.Add(OpMsgWithSequence(requestId++, new BsonDocument { { "insert", "c" }, { "$db", db } }, "documents",
            [new BsonDocument { { "_id", 10 }, { "a", "y" } }, new BsonDocument { { "_id", 11 }, { "a", "z" } }]));
        messages.Add(OpQueryCommand(requestId, "admin.$cmd", new BsonDocument { { "isMaster", 1 }, { "helloOk", true } }));
        return messages;
    }

    /// <summary>A mutated copy, and whether its length field still matches its size (framing intact).</summary>
    private static (byte[] Message, bool Framed) Mutate(byte[] template, Random random)
    {
        var bytes = (byte[])template.Clone();
        var mutations = 1 + random.Next(4);
        for (var m = 0; m < mutations; m++)
        {
            if (bytes.Length < HeaderSize + 8)
                bytes = WireMessages.Concat(bytes, new byte[HeaderSize + 8 - bytes.Length]);
            switch (random.Next(8))
            {
                case 0:
                case 1: // flip bits in the body
                    bytes[HeaderSize + random.Next(bytes.Length - HeaderSize)] ^= (byte)(1 << random.Next(8));
                    break;
                case 2: // random byte in the body
                    bytes[HeaderSize + random.Next(bytes.Length - HeaderSize)] = (byte)random.Next(256);
                    break;
                case 3: // interesting integer over 4 body bytes (a BSON length, a flag word...)
                {
                    var at = HeaderSize + random.Next(Math.Max(1, bytes.Length - HeaderSize - 4));
                    int[] values = [0, -1, 1, 4, 5, int.MaxValue, int.MinValue, 16 * 1024 * 1024 + 1, bytes.Length];
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), values[random.Next(values.Length)]);
                    break;
                }
                case 4: // truncate, keeping the flag word
                    bytes = bytes[..(HeaderSize + 4 + random.Next(Math.Max(1, bytes.Length - HeaderSize - 4)))];
                    break;
                case 5: // append random bytes
                {
                    var extra = new byte[1 + random.Next(64)];
                    random.NextBytes(extra);
                    bytes = WireMessages.Concat(bytes, extra);
                    break;
                }
                case 6: // duplicate a slice of the body in place
                {
                    var start = HeaderSize + random.Next(bytes.Length - HeaderSize);
                    var length = random.Next(Math.Min(32, bytes.Length - start) + 1);
                    bytes = WireMessages.Concat(bytes[..(start + length)], bytes[start..]);
                    break;
                }
                default: // the opcode or the flag bits
                    if (random.Next(2) == 0)
                        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), random.Next(2) == 0 ? random.Next(3000) : OpMsg);
                    else
                        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(HeaderSize), (uint)random.Next() & 0x0001_FFFF);
                    break;
            }
        }

        // Mostly keep the length field true, so the server has a whole message to judge; sometimes break framing.
        if (random.Next(10) == 0)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length + random.Next(-20, 21));
            return (bytes, BinaryPrimitives.ReadInt32LittleEndian(bytes) == bytes.Length);
        }
        BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length);
        return (bytes, true);
    }
}
