using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;

namespace Monolith.Shared.Infrastructure.Errors;

/// <summary>The one place where exceptions become error responses.</summary>
internal sealed partial class GlobalExceptionHandler(ILogger<GlobalExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            httpContext.Response.StatusCode = 499;
            return true;
        }

        var (status, code, detail, errors) = Map(exception);
        if (status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        await ProblemShape.WriteAsync(httpContext, status, code, detail, errors);
        return true;
    }

    private static (int Status, string Code, string Detail, IReadOnlyDictionary<string, string[]>? Errors) Map(Exception exception) =>
        exception switch
        {
            AppException app => (app.Status, app.Code, app.Message, app.Errors),
            ValidationException validation => (400, ErrorCodes.ValidationFailed, "One or more fields are invalid.",
                ValidationErrors.From(validation.Errors)),
            BadHttpRequestException { InnerException: JsonException json } => FromJson(json),
            BadHttpRequestException { StatusCode: 400 } bad when BindFailure().Match(bad.Message) is { Success: true } m =>
                (400, ErrorCodes.ValidationFailed, "One or more fields are invalid.",
                    new Dictionary<string, string[]> { [JsonNamingPolicy.CamelCase.ConvertName(m.Groups["name"].Value)] = [m.Groups["missing"].Success ? "Required." : "Invalid value."] }),
            BadHttpRequestException bad => (bad.StatusCode, ErrorCodes.ForStatus(bad.StatusCode), Describe(bad), null),
            JsonException json => FromJson(json),
            MongoWriteException { WriteError.Category: ServerErrorCategory.DuplicateKey } =>
                (409, ErrorCodes.Conflict, "A resource with the same unique value already exists.", null),
            _ => (500, ErrorCodes.InternalError, "An unexpected error occurred. Quote the requestId when reporting it.", null),
        };

    private static string Describe(BadHttpRequestException bad) => bad.StatusCode switch
    {
        413 => "The request body is larger than this endpoint accepts.",
        415 => "The request body's content type is not supported by this endpoint.",
        _ => "The request could not be understood.",
    };

    private static (int, string, string, IReadOnlyDictionary<string, string[]>?) FromJson(JsonException json)
    {
        // System.Text.Json names the offending member in the message; surface only the member, never the CLR type.
        const string unmapped = "could not be mapped to any .NET member";
        if (json.Message.Contains(unmapped, StringComparison.Ordinal))
        {
            var name = json.Message.Split('\'') is { Length: > 2 } parts ? parts[1] : "(unknown)";
            var path = json.Path is { } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : "";
            var field = path.Length == 0 ? name : path.EndsWith(name, StringComparison.Ordinal) ? path : $"{path}.{name}";
            var isOperator = name.StartsWith('$') || name.Contains('.');
            return (400, isOperator ? ErrorCodes.InvalidFieldName : ErrorCodes.ValidationFailed,
                isOperator ? "Field names starting with '$' or containing '.' are not accepted." : "The request body has a property this endpoint does not accept.",
                new Dictionary<string, string[]> { [field] = [isOperator ? "Field names must not start with '$' or contain '.'." : "Unknown property."] });
        }

        var where = string.IsNullOrEmpty(json.Path) ? string.Empty : $" at '{json.Path}'";
        return (400, ErrorCodes.MalformedJson, $"The request body is not valid JSON for this endpoint{where}.", null);
    }

    // "Failed to bind parameter \"int? Limit\" from \"abc\"." / "Required parameter \"ProductInput body\" was not provided ...":
    // keep the parameter name, drop the CLR type.
    [GeneratedRegex("^(?:Failed to bind parameter|(?<missing>Required parameter)) \"(?:[^\"]* )?(?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex BindFailure();

    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "Unhandled exception while serving {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
