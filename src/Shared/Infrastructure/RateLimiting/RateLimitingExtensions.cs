using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.Security;

namespace Monolith.Shared.Infrastructure.RateLimiting;

public sealed class RateLimitPolicyOptions
{
    public int PermitLimit { get; set; } = 100;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}

public static class RateLimitingExtensions
{
    public const string Section = "RateLimiting:Policies";

    /// <summary>
    /// Registers the modules' fixed-window policies (limits from RateLimiting:Policies:&lt;name&gt; over the module's
    /// defaults), partitioned per authenticated user, else per API key, else per client IP. Rejections are 429
    /// RATE_LIMITED with Retry-After, RateLimit-Policy and RateLimit headers.
    /// </summary>
    public static IServiceCollection AddPlatformRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IEnumerable<RateLimitPolicyDefinition>, IConfiguration>((limiter, definitions, configuration) =>
        {
            var resolved = new Dictionary<string, RateLimitPolicyOptions>(StringComparer.Ordinal);
            foreach (var definition in definitions)
            {
                var options = new RateLimitPolicyOptions { PermitLimit = definition.PermitLimit, Window = definition.Window };
                configuration.GetSection($"{Section}:{definition.Name}").Bind(options);
                resolved[definition.Name] = options;
                limiter.AddPolicy(definition.Name, http => RateLimitPartition.GetFixedWindowLimiter(PartitionKey(http), _ =>
                    new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.PermitLimit,
                        Window = options.Window,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            }

            limiter.OnRejected = async (context, _) =>
            {
                var http = context.HttpContext;
                var policyName = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
                var options = policyName is not null && resolved.TryGetValue(policyName, out var o) ? o : new RateLimitPolicyOptions();
                var window = Math.Max(1, (int)Math.Ceiling(options.Window.TotalSeconds));
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))
                    : window;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                http.Response.Headers["RateLimit-Policy"] = $"{options.PermitLimit};w={window}";
                http.Response.Headers["RateLimit"] = $"limit={options.PermitLimit}, remaining=0, reset={retryAfter}";
                await ProblemShape.WriteAsync(http, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                    $"Too many requests; retry after {retryAfter} seconds.");
            };
        });
        return services;
    }

    internal static string PartitionKey(HttpContext http)
    {
        if (http.User.UserId() is { } user)
        {
            return "user:" + user;
        }

        if (http.Request.Headers["X-Api-Key"].ToString() is { Length: > 0 } apiKey)
        {
            // Partition by a digest, never by the key itself (it would otherwise sit in memory dumps and metrics).
            return "key:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(apiKey)))[..16];
        }

        return "ip:" + (http.Connection.RemoteIpAddress ?? IPAddress.Loopback);
    }
}
