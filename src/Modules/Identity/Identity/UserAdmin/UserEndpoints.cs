using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Monolith.Modules.Identity.Contracts;
using Monolith.Shared.Infrastructure.Caching;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.Idempotency;
using Monolith.Shared.Infrastructure.Web;

namespace Monolith.Modules.Identity.UserAdmin;

internal static class UserEndpoints
{
    private const long MaxBody = 16 * 1024;

    public static RouteGroupBuilder MapUserAdmin(this IEndpointRouteBuilder identity)
    {
        var users = identity.MapGroup("/users")
            .RequireAuthorization(IdentityPermissions.Admin).RequireRateLimiting(AccountsRegistration.AdminPolicy);

        users.MapPost("", CreateUser).WithName("CreateUser")
            .WithSummary("Create a user with a password and roles (publishes UserRegistered; supports Idempotency-Key)")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithIdempotency().WithRequestSizeLimit(MaxBody);
        users.MapGet("", ListUsers).WithName("ListUsers")
            .WithSummary("List users (filter by role, email prefix q, deleted; cursor pagination)");
        users.MapGet("/{id}", GetUser).WithName("GetUser").WithIfNoneMatch()
            .WithSummary("Get a user by id").Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPut("/{id}/roles", ReplaceUserRoles).WithName("ReplaceUserRoles").WithIfMatch()
            .WithSummary("Replace a user's roles (If-Match required; publishes UserRolesChanged)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired).WithRequestSizeLimit(MaxBody);
        users.MapPost("/{id}/lock", LockUser).WithName("LockUser")
            .WithSummary("Lock a user until a date, or indefinitely without one; ends the user's sessions")
            .ProducesProblem(StatusCodes.Status404NotFound).WithRequestSizeLimit(MaxBody);
        users.MapPost("/{id}/unlock", UnlockUser).WithName("UnlockUser")
            .WithSummary("Unlock a user and reset the failed sign-in count").ProducesProblem(StatusCodes.Status404NotFound);
        users.MapDelete("/{id}", DeleteUser).WithName("DeleteUser").WithIfMatch()
            .WithSummary("Delete a user (soft; If-Match required; not yourself)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        users.MapPost("/{id}/restore", RestoreUser).WithName("RestoreUser")
            .WithSummary("Restore a soft-deleted user").ProducesProblem(StatusCodes.Status404NotFound);
        return users;
    }

    private static async Task<Created<UserResponse>> CreateUser(CreateUserInput body, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var user = await mediator.Send(new CreateUserCommand(body), ct);
        return Written(http, user, u => TypedResults.Created($"{http.Request.PathBase}{http.Request.Path.Value?.TrimEnd('/')}/{u.Id}", u));
    }

    private static async Task<Ok<UserPage>> ListUsers(
        string? role, string? q, bool? deleted, int? limit, string? cursor, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var page = await mediator.Send(new ListUsersQuery(role, q, deleted ?? false, limit, cursor), ct);
        Pagination.SetNextLink(http, page.NextCursor);
        CacheControl.NoStore(http.Response);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<UserResponse>, StatusCodeHttpResult>> GetUser(string id, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var user = await mediator.Send(new GetUserQuery(id), ct) ?? throw AppException.NotFound("User", id);
        ETags.Set(http.Response, user.Version);
        CacheControl.NoStore(http.Response);
        return ETags.IfNoneMatchHits(http.Request, user.Version)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(user);
    }

    private static async Task<Ok<UserResponse>> ReplaceUserRoles(
        string id, UserRolesInput body, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var user = await mediator.Send(new ReplaceUserRolesCommand(id, ETags.RequireIfMatch(http.Request), body), ct);
        return Written(http, user, TypedResults.Ok);
    }

    private static async Task<Ok<UserResponse>> LockUser(string id, LockUserInput? body, HttpContext http, IMediator mediator, CancellationToken ct) =>
        Written(http, await mediator.Send(new LockUserCommand(id, body), ct), TypedResults.Ok);

    private static async Task<Ok<UserResponse>> UnlockUser(string id, HttpContext http, IMediator mediator, CancellationToken ct) =>
        Written(http, await mediator.Send(new UnlockUserCommand(id), ct), TypedResults.Ok);

    private static async Task<NoContent> DeleteUser(string id, ClaimsPrincipal caller, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        await mediator.Send(new DeleteUserCommand(id, ETags.RequireIfMatch(http.Request), caller.FindFirstValue(ClaimTypes.NameIdentifier)), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<UserResponse>> RestoreUser(string id, HttpContext http, IMediator mediator, CancellationToken ct) =>
        Written(http, await mediator.Send(new RestoreUserCommand(id), ct), TypedResults.Ok);

    private static T Written<T>(HttpContext http, UserResponse user, Func<UserResponse, T> result)
    {
        ETags.Set(http.Response, user.Version);
        CacheControl.NoStore(http.Response);
        return result(user);
    }
}
