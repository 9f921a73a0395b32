using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Monolith.Shared.Infrastructure.Modules;
using Serilog;
using Serilog.Context;

namespace Monolith.Shared.Infrastructure.Web;

/// <summary>Adds UserId and Module (known only after authentication and routing) to the request's log events.</summary>
internal sealed class LogContextMiddleware(RequestDelegate next, IDiagnosticContext diagnosticContext)
{
    public const string RouteItem = "Monolith.Route";

    public async Task InvokeAsync(HttpContext context)
    {
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? context.User.FindFirstValue("sub");
        var module = context.GetEndpoint()?.Metadata.GetMetadata<ModuleMetadata>()?.Name;
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
        {
            // Kept here: an error response re-executes the pipeline without the endpoint, losing the route.
            context.Items[RouteItem] = route.Length > 1 ? route.TrimEnd('/') : route;
        }

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
