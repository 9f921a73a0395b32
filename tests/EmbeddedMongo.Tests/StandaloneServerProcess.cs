using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Monolith.EmbeddedMongo.Tests;

/// <summary>
/// The standalone server (Monolith.EmbeddedMongo.Server, copied beside the tests) in a child process, for tests
/// whose input could crash a server: a crash then fails that test instead of ending the whole test run.
/// </summary>
public sealed class StandaloneServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private StandaloneServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string ConnectionString => $"mongodb://127.0.0.1:{Port}/?directConnection=true";

    public bool HasExited => _process.HasExited;

    /// <summary>What the process printed, and its exit code when it has exited.</summary>
    public string Describe()
    {
        lock (_output)
        {
            var text = _output.ToString();
            var tail = text.Length > 4000 ? text[^4000..] : text;
            return (_process.HasExited ? $"exit code {_process.ExitCode}; " : "running; ") + "output:\n" + tail;
        }
    }

    public static async Task<StandaloneServerProcess> StartAsync(CancellationToken ct)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Monolith.EmbeddedMongo.Server.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException("The standalone server is not beside the tests", dll);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "exec", dll, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        var server = new StandaloneServerProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), port);
        try
        {
            await server.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(30), ct);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Pings through the driver on a new client until it answers.</summary>
    public async Task WaitUntilAnsweringAsync(TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException("The standalone server exited: " + Describe());
            try
            {
                using var client = ServerFixture.CreateClient(ConnectionString, s => s.ServerSelectionTimeout = TimeSpan.FromSeconds(1));
                await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: ct);
                return;
            }
            catch (TimeoutException) when (clock.Elapsed < timeout)
            {
                await Task.Delay(200, ct);
            }
            catch (MongoConnectionException) when (clock.Elapsed < timeout)
            {
                await Task.Delay(200, ct);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
