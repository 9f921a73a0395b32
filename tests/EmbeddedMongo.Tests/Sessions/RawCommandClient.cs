using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;

namespace Monolith.EmbeddedMongo.Tests.Sessions;

/// <summary>Sends command documents exactly as written (lsid and txnNumber included) over one OP_MSG connection.</summary>
public sealed class RawCommandClient : IDisposable
{
    private readonly TcpClient _tcp = new();
    private int _requestId;

    private RawCommandClient()
    {
    }

    public static async Task<RawCommandClient> ConnectAsync(int port, CancellationToken ct)
    {
        var client = new RawCommandClient();
        await client._tcp.ConnectAsync(IPAddress.Loopback, port, ct);
        return client;
    }

    public async Task<BsonDocument> RunAsync(string database, BsonDocument command, CancellationToken ct)
    {
        var body = command.DeepClone().AsBsonDocument;
        body["$db"] = database;
        var bson = body.ToBson();
        var message = new byte[16 + 4 + 1 + bson.Length];
        BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), Interlocked.Increment(ref _requestId));
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), 2013);
        bson.CopyTo(message, 21);
        var stream = _tcp.GetStream();
        await stream.WriteAsync(message, ct);
        var header = new byte[16];
        await stream.ReadExactlyAsync(header, ct);
        var reply = new byte[BinaryPrimitives.ReadInt32LittleEndian(header) - 16];
        await stream.ReadExactlyAsync(reply, ct);
        using var reader = new BsonBinaryReader(new MemoryStream(reply, 5, reply.Length - 5));
        return BsonSerializer.Deserialize<BsonDocument>(reader);
    }

    public void Dispose() => _tcp.Dispose();
}
