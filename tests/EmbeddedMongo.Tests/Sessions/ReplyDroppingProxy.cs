using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Monolith.EmbeddedMongo.Tests.Sessions;

/// <summary>
/// A TCP proxy between a driver and the server that forwards whole wire messages and, when armed, lets the server
/// execute the next command of a given name and then cuts the connection instead of forwarding the reply: the
/// driver sees a network error after the write was applied.
/// </summary>
public sealed class ReplyDroppingProxy : IAsyncDisposable
{
    private const int OpMsg = 2013;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, int> _seen = new(StringComparer.Ordinal);
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private string? _armed;
    private int _dropped;

    public ReplyDroppingProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A connection string for a driver that talks to the server only through this proxy.</summary>
    public string ConnectionString => $"mongodb://127.0.0.1:{Port}/?directConnection=true";

    /// <summary>How many replies were dropped.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>How many commands of this name passed towards the server.</summary>
    public int Seen(string command) => _seen.GetValueOrDefault(command);

    /// <summary>Drops the reply to the next command named <paramref name="command"/> (once) and closes its connection.</summary>
    public void DropReplyToNext(string command) => Volatile.Write(ref _armed, command);

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                var server = new TcpClient();
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token);
                var link = new Link(client, server);
                lock (_pumps)
                {
                    _pumps.Add(PumpAsync(link, toServer: true));
                    _pumps.Add(PumpAsync(link, toServer: false));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopping.
        }
    }

    private async Task PumpAsync(Link link, bool toServer)
    {
        var from = (toServer ? link.Client : link.Server).GetStream();
        var to = (toServer ? link.Server : link.Client).GetStream();
        try
        {
            while (await ReadMessageAsync(from, _stopping.Token) is { } message)
            {
                if (toServer)
                {
                    var name = CommandName(message);
                    if (name is not null)
                    {
                        _seen.AddOrUpdate(name, 1, (_, n) => n + 1);
                        var armed = Volatile.Read(ref _armed);
                        if (armed == name && ReferenceEquals(Interlocked.CompareExchange(ref _armed, null, armed), armed)) link.DropNextReply = true;
                    }
                }
                else if (link.DropNextReply)
                {
                    Interlocked.Increment(ref _dropped);
                    link.Close();
                    return;
                }
                await to.WriteAsync(message, _stopping.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A side went away.
        }
        finally
        {
            link.Close();
        }
    }

    private static async Task<byte[]?> ReadMessageAsync(NetworkStream stream, CancellationToken ct)
    {
        var header = new byte[4];
        if (!await ReadExactlyOrEndAsync(stream, header, ct)) return null;
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        var message = new byte[length];
        header.CopyTo(message, 0);
        return await ReadExactlyOrEndAsync(stream, message.AsMemory(4), ct) ? message : null;
    }

    private static async Task<bool> ReadExactlyOrEndAsync(NetworkStream stream, Memory<byte> buffer, CancellationToken ct)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, ct);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    /// <summary>The first field name of an OP_MSG's body section (kind 0), or null for other messages.</summary>
    private static string? CommandName(byte[] message)
    {
        if (BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(12)) != OpMsg) return null;
        var offset = 20;
        while (offset < message.Length)
        {
            var kind = message[offset++];
            var size = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(offset));
            if (kind == 0)
            {
                var nameStart = offset + 5;
                var nameEnd = Array.IndexOf(message, (byte)0, nameStart);
                return size <= 5 || nameEnd < 0 ? null : Encoding.UTF8.GetString(message, nameStart, nameEnd - nameStart);
            }
            offset += size;
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] pumps;
        lock (_pumps) pumps = [.. _pumps];
        await Task.WhenAll(pumps);
        _stopping.Dispose();
    }

    private sealed class Link(TcpClient client, TcpClient server)
    {
        public TcpClient Client { get; } = client;
        public TcpClient Server { get; } = server;
        public volatile bool DropNextReply;

        public void Close()
        {
            Client.Dispose();
            Server.Dispose();
        }
    }
}
