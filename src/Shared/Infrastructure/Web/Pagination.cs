using System.Buffers.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;

namespace Monolith.Shared.Infrastructure.Web;

/// <summary>Opaque cursors (base64url JSON) and the Link: rel="next" header for keyset pagination.</summary>
public static class Pagination
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static string Encode<T>(T position) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(position));

    public static bool TryDecode<T>(string? cursor, out T? position)
    {
        position = default;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 1024)
        {
            return false;
        }

        try
        {
            position = JsonSerializer.Deserialize<T>(Base64Url.DecodeFromChars(cursor));
            return position is not null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    /// <summary>Sets <c>Link: &lt;same URL with cursor=next&gt;; rel="next"</c> when there is a next page.</summary>
    public static void SetNextLink(HttpContext http, string? nextCursor)
    {
        if (nextCursor is null)
        {
            return;
        }

        var query = QueryHelpers.ParseQuery(http.Request.QueryString.Value);
        var builder = new QueryBuilder();
        foreach (var (key, values) in query)
        {
            if (!string.Equals(key, "cursor", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var value in values)
                {
                    builder.Add(key, value ?? "");
                }
            }
        }

        builder.Add("cursor", nextCursor);
        http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}{builder.ToQueryString()}>; rel=\"next\"";
    }
}
