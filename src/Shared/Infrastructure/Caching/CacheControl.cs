using Microsoft.AspNetCore.Http;

namespace Monolith.Shared.Infrastructure.Caching;

/// <summary>Deliberate Cache-Control choices: short public caching for anonymous reads, no-store otherwise.</summary>
public static class CacheControl
{
    public static void PublicFor(HttpResponse response, TimeSpan maxAge) =>
        response.Headers.CacheControl = $"public, max-age={(int)maxAge.TotalSeconds}";

    public static void NoStore(HttpResponse response) => response.Headers.CacheControl = "no-store";

    /// <summary>Public when the caller is anonymous (the response is the same for everyone), otherwise no-store.</summary>
    public static void ForRead(HttpContext http, TimeSpan publicMaxAge)
    {
        if (http.User.Identity?.IsAuthenticated == true)
        {
            NoStore(http.Response);
        }
        else
        {
            PublicFor(http.Response, publicMaxAge);
            http.Response.Headers.Vary = "Authorization";
        }
    }
}
