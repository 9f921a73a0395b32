using Asp.Versioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monolith.Shared.Abstractions.Events;
using Monolith.Shared.Infrastructure.Caching;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.Events;
using Monolith.Shared.Infrastructure.Health;
using Monolith.Shared.Infrastructure.Idempotency;
using Monolith.Shared.Infrastructure.Logging;
using Monolith.Shared.Infrastructure.Migrations;
using Monolith.Shared.Infrastructure.Modules;
using Monolith.Shared.Infrastructure.Mongo;
using Monolith.Shared.Infrastructure.OpenApi;
using Monolith.Shared.Infrastructure.RateLimiting;
using Monolith.Shared.Infrastructure.Security;
using Monolith.Shared.Infrastructure.SoftDelete;
using Monolith.Shared.Infrastructure.Versioning;
using Monolith.Shared.Infrastructure.Web;
using Scalar.AspNetCore;

namespace Monolith.Shared.Infrastructure;

/// <summary>Everything every module gets: composed once here, in a fixed order, and used by the host.</summary>
public static class PlatformExtensions
{
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder, IReadOnlyList<ModuleDefinition> modules)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        builder.Logging.ClearProviders();
        services.AddPlatformLogging(configuration);
        services.AddSingleton(TimeProvider.System);

        var limits = configuration.GetSection(RequestLimitsOptions.Section).Get<RequestLimitsOptions>() ?? new RequestLimitsOptions();
        services.Configure<RequestLimitsOptions>(configuration.GetSection(RequestLimitsOptions.Section));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = limits.MaxBodyBytes);

        services.Configure<JsonOptions>(o => JsonDefaults.Apply(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemShape.Complete);
        services.AddExceptionHandler<GlobalExceptionHandler>();

        services.AddMongo(configuration);
        services.AddPlatformCaching(configuration);
        services.AddSingleton<IIntegrationEventPublisher, InProcessIntegrationEventPublisher>();

        services.AddSingleton<MigrationRunner>();
        if (configuration.GetValue<bool>("Migrations:ApplyOnStartup"))
        {
            services.AddHostedService<MigrateOnStartup>();
        }

        services.Configure<SoftDeleteOptions>(configuration.GetSection(SoftDeleteOptions.Section));
        services.AddSingleton<SoftDeletePurger>();
        services.AddHostedService<SoftDeletePurgeService>();
        services.Configure<IdempotencyOptions>(configuration.GetSection(IdempotencyOptions.Section));

        services.AddPlatformAuth(configuration, builder.Environment);
        services.AddPlatformRateLimiting();
        services.AddCors(o => o.AddDefaultPolicy(p => p
            .WithOrigins(configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [])
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            .WithHeaders("Content-Type", "Authorization", "If-Match", "If-None-Match", "Idempotency-Key", "X-Request-Id", "X-Correlation-Id", "X-Api-Key")
            .WithExposedHeaders("ETag", "Location", "Link", "X-Request-Id", "Retry-After", "RateLimit", "RateLimit-Policy", "Idempotent-Replayed", "api-supported-versions")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

        services.AddHealthChecks()
            .AddCheck<MongoHealthCheck>("database", tags: ["ready"])
            .AddCheck<CacheHealthCheck>("cache", tags: ["ready"]);

        services.AddOpenApi("v1", OpenApiTransformers.Configure);
        services.AddApiVersioning(o =>
        {
            o.DefaultApiVersion = new ApiVersion(1, 0);
            o.ReportApiVersions = true;
            o.AssumeDefaultVersionWhenUnspecified = false;
            o.ApiVersionReader = new PathApiVersionReader();
        });

        foreach (var module in modules.Where(m => m.IsEnabled(configuration)))
        {
            module.AddServices(services, configuration);
        }

        return builder;
    }

    public static WebApplication UsePlatform(this WebApplication app, IReadOnlyList<ModuleDefinition> modules)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UsePlatformRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use((http, next) =>
        {
            // The idempotency filter hashes the raw body after model binding has read it.
            if (http.Request.Headers.ContainsKey(IdempotencyExtensions.KeyHeader))
            {
                http.Request.EnableBuffering();
            }

            return next(http);
        });
        app.UseRouting();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<LogContextMiddleware>();
        app.UseMiddleware<RequestSizeLimitMiddleware>();

        app.MapGet("/health/live", () => TypedResults.Text("Healthy"))
            .WithName("Liveness").WithSummary("The process is up").WithTags("Platform").Produces<string>(200, "text/plain");
        app.MapGet("/health/ready", Readiness)
            .WithName("Readiness").WithSummary("The database and the cache answer").WithTags("Platform")
            .Produces<string>(200, "text/plain").Produces<string>(503, "text/plain");
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Monolith API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));

        var versions = app.NewApiVersionSet().HasApiVersion(new ApiVersion(1, 0)).ReportApiVersions().Build();
        var v1 = app.MapGroup("/api/v1").WithApiVersionSet(versions).MapToApiVersion(new ApiVersion(1, 0));
        foreach (var module in modules.Where(m => m.IsEnabled(app.Configuration)))
        {
            module.MapEndpoints(v1);
        }

        foreach (var root in app.Services.GetServices<RootEndpoints>())
        {
            root.Map(app);
        }

        return app;
    }

    private static async Task<IResult> Readiness(HealthCheckService health, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains("ready"), ct);
        return report.Status == HealthStatus.Unhealthy
            ? TypedResults.Text(report.Status.ToString(), "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Text(report.Status.ToString(), "text/plain");
    }
}
