using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Monolith.Shared.Infrastructure.Errors;

namespace Monolith.Shared.Infrastructure.Web;

public sealed class RequestLimitsOptions
{
    public const string Section = "RequestLimits";

    /// <summary>Default body limit for every endpoint (1 MiB); endpoints override it with WithRequestSizeLimit.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
}

internal sealed record RequestSizeLimitMetadata(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

public static class RequestSizeLimitExtensions
{
    public static TBuilder WithRequestSizeLimit<TBuilder>(this TBuilder builder, long maxBytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestSizeLimitMetadata(maxBytes));
}

/// <summary>
/// Applies the endpoint's body limit: rejects a declared Content-Length above it at once (413 in the error shape) and
/// caps streamed bodies through the server's max-body-size feature.
/// </summary>
internal sealed class RequestSizeLimitMiddleware(RequestDelegate next, IOptions<RequestLimitsOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                    ?? options.Value.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await ProblemShape.WriteAsync(context, 413, ErrorCodes.PayloadTooLarge,
                $"The request body is larger than the {limit} bytes this endpoint accepts.");
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    }
}
