using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Monolith.EmbeddedMongo.Tests.Durability;

/// <summary>The standalone server on a data directory in a child process, so a test can kill it with SIGKILL.</summary>
internal sealed class DbPathServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DbPathServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"mongodb://127.0.0.1:{Port}/?directConnection=true";

    /// <param name="replicaSet">When set, the server runs as the primary of this single-member replica set (transactions need it).</param>
    public static async Task<DbPathServerProcess> StartAsync(string dataPath, CancellationToken ct, string? replicaSet = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Monolith.EmbeddedMongo.Server.dll");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "exec", dll, "--port", port.ToString(CultureInfo.InvariantCulture), "--dbpath", dataPath })
            start.ArgumentList.Add(arg);
        if (replicaSet is not null)
        {
            start.ArgumentList.Add("--replSet");
            start.ArgumentList.Add(replicaSet);
        }
        var server = new DbPathServerProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), port);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server._process.OutputDataReceived += (_, e) =>
        {
            server.Append(e.Data);
            if (e.Data?.Contains("listening", StringComparison.OrdinalIgnoreCase) == true) listening.TrySetResult();
        };
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The server exited: " + server.Describe()));
        server._process.EnableRaisingEvents = true;
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: no clean stop, no final checkpoint; only what the server wrote to its files survives.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    public string Describe()
    {
        lock (_output)
        {
            var text = _output.ToString();
            return (_process.HasExited ? $"exit code {_process.ExitCode}; " : "running; ") + "output:\n" + (text.Length > 4000 ? text[^4000..] : text);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
