using System.Collections.Concurrent;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Monolith.Host.Tests.Support;

/// <summary>Receives every log event the host writes, rendered exactly as the stdout sink renders it.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> events = new();
    private readonly RenderedCompactJsonFormatter formatter = new();

    public IReadOnlyList<LogEvent> Events => [.. events];

    public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);

    public string Text()
    {
        var builder = new StringBuilder();
        using var writer = new StringWriter(builder);
        foreach (var e in events)
        {
            formatter.Format(e, writer);
        }

        return builder.ToString();
    }
}
