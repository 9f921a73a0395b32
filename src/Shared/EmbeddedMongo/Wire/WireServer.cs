using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using Monolith.EmbeddedMongo.Commands;

namespace Monolith.EmbeddedMongo.Wire;

/// <summary>Accepts TCP connections and runs one request/reply loop per connection.</summary>
internal sealed class WireServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CommandDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<TcpClient> _clients = [];
    private Task? _acceptLoop;
    private int _nextConnectionId;
    private int _nextResponseId;

    public WireServer(IPAddress address, int port, CommandDispatcher dispatcher, ILogger logger)
    {
        _listener = new TcpListener(address, port);
        _dispatcher = dispatcher;
        _logger = logger;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Start()
    {
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start(512);
        _acceptLoop = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException ex)
            {
                _logger.LogWarning(ex, "Accept failed");
                continue;
            }
            client.NoDelay = true;
            lock (_clients) _clients.Add(client);
            var connectionId = Interlocked.Increment(ref _nextConnectionId);
            _ = Task.Run(() => ServeAsync(client, connectionId));
        }
    }

    private async Task ServeAsync(TcpClient client, int connectionId)
    {
        var connection = new ConnectionState(connectionId, client.Client.RemoteEndPoint?.ToString() ?? "unknown");
        try
        {
            using var stream = client.GetStream();
            var header = new byte[16];
            while (!_stopping.IsCancellationRequested)
            {
                if (!await ReadExactlyAsync(stream, header)) break;
                var length = BinaryPrimitives.ReadInt32LittleEndian(header);
                var requestId = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
                var opCode = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
                if (length < 16 || length > WireLimits.MaxMessageSizeBytes)
                {
                    _logger.LogDebug("Closing connection {ConnectionId}: message length {Length} out of range", connectionId, length);
                    break;
                }
                if (opCode is not (OpCodes.Msg or OpCodes.Query))
                {
                    _logger.LogDebug("Closing connection {ConnectionId}: unsupported opcode {OpCode}", connectionId, opCode);
                    break;
                }
                var bodyLength = length - 16;
                var body = ArrayPool<byte>.Shared.Rent(Math.Max(bodyLength, 1));
                byte[]? reply;
                Task durable;
                try
                {
                    if (!await ReadExactlyAsync(stream, body.AsMemory(0, bodyLength))) break;
                    reply = Handle(connection, requestId, opCode, header, body.AsMemory(0, bodyLength));
                    durable = CommandDispatcher.TakeDurableWait();
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(body);
                }
                // With a dbpath an acknowledged write is on disk: the reply waits for the log flush, without a thread.
                await durable;
                if (reply is not null) await stream.WriteAsync(reply, _stopping.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away or the server is stopping.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Connection {ConnectionId} failed", connectionId);
        }
        finally
        {
            _dispatcher.ConnectionClosed(connection);
            lock (_clients) _clients.Remove(client);
            client.Dispose();
        }
    }

    private byte[]? Handle(ConnectionState connection, int requestId, int opCode, byte[] header, ReadOnlyMemory<byte> body)
    {
        WireMessage message;
        BsonDocument response;
        try
        {
            message = MessageCodec.Decode(requestId, opCode, header, body);
        }
        catch (MongoError error)
        {
            response = CommandDispatcher.ErrorReply(error);
            return Encode(opCode, requestId, response);
        }
        response = _dispatcher.Execute(connection, message.Command, message.Database);
        return message.MoreToCome ? null : Encode(opCode, requestId, response);
    }

    private byte[] Encode(int opCode, int requestId, BsonDocument response)
    {
        var id = Interlocked.Increment(ref _nextResponseId);
        return opCode == OpCodes.Query
            ? MessageCodec.EncodeReply(id, requestId, response)
            : MessageCodec.EncodeMsg(id, requestId, response);
    }

    private static async Task<bool> ReadExactlyAsync(Stream stream, Memory<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[read..]);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var client in _clients) client.Dispose();
        }
        if (_acceptLoop is not null) await _acceptLoop;
        _stopping.Dispose();
    }
}
