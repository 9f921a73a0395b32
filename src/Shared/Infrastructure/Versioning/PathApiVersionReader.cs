using Asp.Versioning;
using Microsoft.AspNetCore.Http;

namespace Monolith.Shared.Infrastructure.Versioning;

/// <summary>
/// Reads the API version from a literal <c>/api/v{n}/</c> path prefix. Routes stay literal (clean OpenAPI paths),
/// and a <c>/api/v2</c> group can sit beside v1 without touching it.
/// </summary>
internal sealed class PathApiVersionReader : IApiVersionReader
{
    public IReadOnlyList<string> Read(HttpRequest request)
    {
        var path = request.Path.Value.AsSpan();
        if (!path.StartsWith("/api/v", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var rest = path["/api/v".Length..];
        var end = rest.IndexOf('/');
        var version = end < 0 ? rest : rest[..end];
        return version.Length > 0 && char.IsAsciiDigit(version[0]) ? [version.ToString()] : [];
    }

    public void AddParameters(IApiVersionParameterDescriptionContext context)
    {
    }
}
