using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Monolith.Shared.Infrastructure.Modules;
using Serilog;
using Serilog.Context;

namespace Monolith.Shared.Infrastructure.Web;

/// <summary>Adds UserId and Module (known only after authentication and routing) to the request's log events.</summary>
internal sealed class LogContextMiddleware(RequestDelegate next, IDiagnosticContext diagnosticContext)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? context.User.FindFirstValue("sub");
        var module = context.GetEndpoint()?.Metadata.GetMetadata<ModuleMetadata>()?.Name;
        if (userId is not null)
        {
            diagnosticContext.Set("UserId", userId);
        }

        if (module is not null)
        {
            diagnosticContext.Set("Module", module);
        }

        using (LogContext.PushProperty("UserId", userId))
        using (LogContext.PushProperty("Module", module))
        {
            await next(context);
        }
    }
}
