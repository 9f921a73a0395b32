using System.Buffers.Binary;
using System.Net.Sockets;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace Monolith.EmbeddedMongo.Tests.Robustness;

/// <summary>A raw TCP connection to the server, every read bounded by a timeout, so a server that hangs fails the test.</summary>
internal sealed class RawConnection : IDisposable
{
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _tcp.NoDelay = true;
        _tcp.ReceiveTimeout = (int)ReadTimeout.TotalMilliseconds;
        _tcp.SendTimeout = (int)ReadTimeout.TotalMilliseconds;
        _stream = tcp.GetStream();
    }

    public static async Task<RawConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var address = MongoUrl.Create(connectionString).Server;
        var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, ct);
        return new RawConnection(tcp);
    }

    /// <summary>Sends bytes; false when the server has already closed the connection (which is an acceptable answer).</summary>
    public async Task<bool> TrySendAsync(byte[] bytes, CancellationToken ct)
    {
        try
        {
            await _stream.WriteAsync(bytes, ct);
            await _stream.FlushAsync(ct);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Tells the server no more bytes will come (it sees end of stream after what was sent).</summary>
    public void EndSending()
    {
        try
        {
            _tcp.Client.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Already closed by the server.
        }
    }

    /// <summary>The next reply (header and body), or null when the server closed the connection. Throws TimeoutException on a hang.</summary>
    public async Task<RawReply?> ReadReplyAsync(CancellationToken ct)
    {
        var header = new byte[WireMessages.HeaderSize];
        if (!await ReadExactlyAsync(header, ct))
            return null;
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < WireMessages.HeaderSize || length > 64 * 1024 * 1024)
            throw new InvalidDataException($"the server sent a reply header with length {length}");
        var body = new byte[length - WireMessages.HeaderSize];
        if (!await ReadExactlyAsync(body, ct))
            return null;
        return new RawReply(
            BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4)),
            BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8)),
            BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12)),
            body);
    }

    /// <summary>Reads replies until the server closes the connection; throws TimeoutException if it neither answers nor closes.</summary>
    public async Task<List<RawReply>> ReadUntilClosedAsync(CancellationToken ct)
    {
        var replies = new List<RawReply>();
        while (await ReadReplyAsync(ct) is { } reply)
            replies.Add(reply);
        return replies;
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken ct)
    {
        var read = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            while (read < buffer.Length)
            {
                var n = await _stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
                if (n == 0)
                    return false;
                read += n;
            }
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"the server neither answered nor closed the connection within {ReadTimeout.TotalSeconds} s");
        }
        catch (IOException)
        {
            return false; // reset by the server: a closed connection
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }
}

/// <summary>One message from the server.</summary>
internal sealed record RawReply(int RequestId, int ResponseTo, int OpCode, byte[] Body)
{
    /// <summary>The reply document of an OP_MSG (kind-0 section) or OP_REPLY (first document).</summary>
    public BsonDocument Document()
    {
        var offset = OpCode switch
        {
            WireMessages.OpMsg => 5, // flagBits, section kind 0
            WireMessages.OpReply => 20, // responseFlags, cursorID, startingFrom, numberReturned
            _ => throw new InvalidDataException($"unexpected reply opcode {OpCode}"),
        };
        using var stream = new MemoryStream(Body, offset, Body.Length - offset);
        using var reader = new BsonBinaryReader(stream);
        return BsonSerializer.Deserialize<BsonDocument>(reader);
    }

    public bool MoreToCome => OpCode == WireMessages.OpMsg && (BinaryPrimitives.ReadUInt32LittleEndian(Body) & 2) != 0;
}
