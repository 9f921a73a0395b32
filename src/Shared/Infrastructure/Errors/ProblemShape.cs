using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Monolith.Shared.Infrastructure.Errors;

/// <summary>
/// Completes every problem+json response (RFC 9457 fields plus error, code, message, requestId) no matter who wrote
/// it: the exception handler, status-code pages, the rate limiter or an endpoint.
/// </summary>
public static class ProblemShape
{
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        var status = problem.Status ?? http.Response.StatusCode;
        problem.Status = status;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status);
        problem.Type ??= $"https://httpstatuses.io/{status}";
        problem.Instance ??= http.Request.Path;
        problem.Detail ??= problem.Title;

        var code = problem.Extensions.TryGetValue("code", out var c) && c is string s ? s : ErrorCodes.ForStatus(status);
        problem.Extensions["code"] = code;
        problem.Extensions["error"] = code.ToLowerInvariant();
        problem.Extensions["message"] = problem.Detail;
        problem.Extensions["requestId"] = http.TraceIdentifier;
        problem.Extensions.Remove("traceId");
    }

    public static ProblemDetails Create(int status, string code, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        ProblemDetails problem = errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value));
        problem.Status = status;
        problem.Detail = detail;
        problem.Extensions["code"] = code;
        return problem;
    }

    public static async ValueTask WriteAsync(HttpContext http, int status, string code, string detail,
        IReadOnlyDictionary<string, string[]>? errors = null)
    {
        http.Response.StatusCode = status;
        var service = http.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService
            ?? throw new InvalidOperationException("AddProblemDetails() was not called.");
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = Create(status, code, detail, errors) });
    }
}
