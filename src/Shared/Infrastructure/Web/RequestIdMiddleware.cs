using System.Buffers;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Serilog.Context;
using Serilog.Core;
using Serilog.Events;

namespace Monolith.Shared.Infrastructure.Web;

/// <summary>
/// Gives every request an id (the caller's X-Request-Id when it is a sane token, else a new one), echoes it on every
/// response including errors, and puts RequestId, CorrelationId and TraceId on every log event of the request.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string RequestIdHeader = "X-Request-Id";
    public const string CorrelationIdHeader = "X-Correlation-Id";

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Sane(context.Request.Headers[RequestIdHeader]) ?? Guid.NewGuid().ToString("N");
        var correlationId = Sane(context.Request.Headers[CorrelationIdHeader]) ?? requestId;
        context.TraceIdentifier = requestId;
        context.Response.OnStarting(() =>
        {
            // Set late: the exception handler clears headers before writing the error.
            context.Response.Headers[RequestIdHeader] = requestId;
            return Task.CompletedTask;
        });

        var traceId = Activity.Current?.TraceId.ToHexString();
        using (LogContext.Push(new RequestEnricher(requestId, correlationId, traceId)))
        {
            await next(context);
        }
    }

    /// <summary>
    /// Overwrites (not just adds) the request properties: ASP.NET Core's own logging scope carries a RequestId of
    /// its own (the connection-based one, captured before this middleware ran), which must not win.
    /// </summary>
    private sealed class RequestEnricher(string requestId, string correlationId, string? traceId) : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            logEvent.AddOrUpdateProperty(new LogEventProperty("RequestId", new ScalarValue(requestId)));
            logEvent.AddOrUpdateProperty(new LogEventProperty("CorrelationId", new ScalarValue(correlationId)));
            if (traceId is not null)
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty("TraceId", new ScalarValue(traceId)));
            }
        }
    }

    internal static string? Sane(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 128 && !value.AsSpan().ContainsAnyExcept(Allowed) ? value : null;
}
