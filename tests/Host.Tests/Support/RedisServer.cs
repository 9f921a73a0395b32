using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace Monolith.Host.Tests.Support;

/// <summary>
/// A real redis-server child process on a free local port, without persistence. Fails loudly when redis-server is
/// not installed (scripts/test.sh installs it). <see cref="Stop"/> and <see cref="StartAsync"/> simulate an outage.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string executable;
    private readonly Queue<string> output = new();
    private Process? process;
    private ConnectionMultiplexer? probe;

    private RedisServer(string executable, int port)
    {
        this.executable = executable;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What the hosts get as ConnectionStrings:Redis: short timeouts, keep retrying while Redis is away.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=1000,syncTimeout=1000,connectRetry=1";

    public static async Task<RedisServer> StartNewAsync()
    {
        var executable = FindOnPath("redis-server") ?? throw new InvalidOperationException(
            "redis-server is not on PATH: the Redis cache tests need a real Redis. Install it " +
            "(apt-get install redis-server; scripts/test.sh does this) and run the tests again.");
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(executable, FreePort());
            try
            {
                await server.StartAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3 && server.process is { HasExited: true })
            {
                // Another process took the free port between our probe and redis-server's bind: try another one.
                server.Stop();
            }
        }
    }

    /// <summary>Starts redis-server on <see cref="Port"/> (again, after <see cref="Stop"/>) and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        if (process is { HasExited: false })
        {
            throw new InvalidOperationException("redis-server is already running.");
        }

        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--protected-mode", "no" })
        {
            info.ArgumentList.Add(argument);
        }

        var started = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {executable}.");
        started.OutputDataReceived += (_, e) => Remember(e.Data);
        started.ErrorDataReceived += (_, e) => Remember(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;

        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await PingAsync())
        {
            if (started.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"redis-server on port {Port} did not answer PING within {StartTimeout.TotalSeconds:0} s (exited: {started.HasExited}). Output:\n{Output()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Kills the process (an outage, not a shutdown) and waits until the port no longer answers.</summary>
    public void Stop()
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        process.Dispose();
        process = null;
    }

    /// <summary>True when something on the port answers +PONG to a raw RESP PING within a second.</summary>
    public async Task<bool> PingAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A client of this server for probing what the hosts stored (connected lazily, reconnects after a restart).</summary>
    public async Task<IDatabase> DatabaseAsync()
    {
        probe ??= await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",allowAdmin=true");
        return probe.GetDatabase();
    }

    /// <summary>Every key matching the glob pattern (SCAN, not KEYS).</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string pattern)
    {
        await DatabaseAsync();
        var keys = new List<string>();
        await foreach (var key in probe!.GetServer("127.0.0.1", Port).KeysAsync(pattern: pattern))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }

    public async ValueTask DisposeAsync()
    {
        if (probe is not null)
        {
            await probe.DisposeAsync();
        }

        Stop();
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Enqueue(line);
            while (output.Count > 50)
            {
                output.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (output)
        {
            return string.Join('\n', output);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
