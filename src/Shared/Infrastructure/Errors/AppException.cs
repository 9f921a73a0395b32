namespace Monolith.Shared.Infrastructure.Errors;

/// <summary>
/// An expected failure that leaves the API as an error response. Handlers throw it; the single exception handler
/// turns it into the problem+json shape, so no handler ever builds error JSON itself.
/// </summary>
public sealed class AppException : Exception
{
    public AppException(int status, string code, string message, IReadOnlyDictionary<string, string[]>? errors = null)
        : base(message)
    {
        Status = status;
        Code = code;
        Errors = errors;
    }

    public int Status { get; }

    public string Code { get; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; }

    public static AppException NotFound(string resource, string id) =>
        new(404, ErrorCodes.NotFound, $"{resource} '{id}' was not found.");

    public static AppException Conflict(string message) => new(409, ErrorCodes.Conflict, message);

    public static AppException PreconditionFailed(string message = "The resource has changed since it was read (If-Match does not match the current ETag).") =>
        new(412, ErrorCodes.PreconditionFailed, message);

    public static AppException PreconditionRequired(string message = "This request must carry an If-Match header with the resource's current ETag.") =>
        new(428, ErrorCodes.PreconditionRequired, message);

    public static AppException Unprocessable(string message) => new(422, ErrorCodes.UnprocessableEntity, message);

    public static AppException Validation(string field, string message) =>
        new(400, ErrorCodes.ValidationFailed, "One or more fields are invalid.", new Dictionary<string, string[]> { [field] = [message] });

    public static AppException Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(400, ErrorCodes.ValidationFailed, "One or more fields are invalid.", errors);
}
