using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Monolith.Shared.Infrastructure.Errors;

namespace Monolith.Shared.Infrastructure.Web;

/// <summary>Endpoint metadata: the endpoint requires If-Match (documented in OpenAPI).</summary>
public sealed record IfMatchRequiredMetadata;

/// <summary>Endpoint metadata: the endpoint answers If-None-Match with 304 (documented in OpenAPI).</summary>
public sealed record IfNoneMatchSupportedMetadata;

public static class ETagEndpointExtensions
{
    public static TBuilder WithIfMatch<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IfMatchRequiredMetadata());

    public static TBuilder WithIfNoneMatch<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IfNoneMatchSupportedMetadata());
}

/// <summary>Optimistic concurrency over HTTP: the ETag is the document's version; writes must send it back in If-Match.</summary>
public static class ETags
{
    public static string Format(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    public static void Set(HttpResponse response, long version) => response.Headers.ETag = Format(version);

    /// <summary>The version the client expects, null for <c>If-Match: *</c>; 428 when missing, 412 when unparseable.</summary>
    public static long? RequireIfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0)
        {
            throw AppException.PreconditionRequired();
        }

        if (header == "*")
        {
            return null;
        }

        var tag = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        return tag.Length > 2 && tag[0] == '"' && tag[^1] == '"' &&
               long.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw AppException.PreconditionFailed();
    }

    /// <summary>True when If-None-Match names the current ETag (or *): the caller's copy is fresh, answer 304.</summary>
    public static bool IfNoneMatchHits(HttpRequest request, long version)
    {
        var header = request.Headers.IfNoneMatch.ToString();
        if (header.Length == 0)
        {
            return false;
        }

        var current = Format(version);
        foreach (var raw in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = raw.StartsWith("W/", StringComparison.Ordinal) ? raw[2..] : raw;
            if (tag == "*" || tag == current)
            {
                return true;
            }
        }

        return false;
    }
}
