using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;

namespace Monolith.Shared.Infrastructure.Logging;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog, compact JSON to stdout, levels per namespace from the Serilog section, secrets redacted. Extra sinks
    /// registered as <see cref="ILogEventSink"/> (tests capture logs this way) receive the same redacted events.
    /// </summary>
    public static IServiceCollection AddPlatformLogging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<Serilog.ILogger>(sp =>
        {
            var config = new LoggerConfiguration()
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .ReadFrom.Configuration(configuration)
                .Enrich.FromLogContext()
                .Enrich.With<RedactionEnricher>();
            if (configuration.GetValue("Logging:Console", true))
            {
                config.WriteTo.Console(new RenderedCompactJsonFormatter());
            }

            foreach (var sink in sp.GetServices<ILogEventSink>())
            {
                config.WriteTo.Sink(sink);
            }

            return config.CreateLogger();
        });
        services.AddSingleton<ILoggerFactory>(sp => new SerilogLoggerFactory(sp.GetRequiredService<Serilog.ILogger>(), dispose: true));
        services.AddSingleton(sp => new Serilog.Extensions.Hosting.DiagnosticContext(sp.GetRequiredService<Serilog.ILogger>()));
        services.AddSingleton<IDiagnosticContext>(sp => sp.GetRequiredService<Serilog.Extensions.Hosting.DiagnosticContext>());
        return services;
    }

    /// <summary>One completion event per request: method, route, status, elapsed (and RequestId, UserId, Module).</summary>
    public static IApplicationBuilder UsePlatformRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            o.MessageTemplate = "HTTP {RequestMethod} {Route} responded {StatusCode} in {Elapsed:0.0000} ms";
            o.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                diagnostics.Set("Route", http.Items[Web.LogContextMiddleware.RouteItem] as string ?? http.Request.Path.Value ?? "");
                diagnostics.Set("RequestPath", http.Request.Path.Value);
            };
            o.GetLevel = (http, _, ex) => ex is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error : LogEventLevel.Information;
        });
}
