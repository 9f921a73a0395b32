using System.Buffers;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Serilog.Context;

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
        using (LogContext.PushProperty("RequestId", requestId))
        using (LogContext.PushProperty("CorrelationId", correlationId))
        using (LogContext.PushProperty("TraceId", traceId))
        {
            await next(context);
        }
    }

    internal static string? Sane(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 128 && !value.AsSpan().ContainsAnyExcept(Allowed) ? value : null;
}
