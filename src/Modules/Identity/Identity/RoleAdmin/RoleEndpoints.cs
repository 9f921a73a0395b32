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

namespace Monolith.Modules.Identity.RoleAdmin;

internal static class RoleEndpoints
{
    private const long MaxBody = 16 * 1024;

    public static RouteGroupBuilder MapRoleAdmin(this IEndpointRouteBuilder identity)
    {
        var roles = identity.MapGroup("/roles")
            .RequireAuthorization(IdentityPermissions.Admin).RequireRateLimiting(AccountsRegistration.AdminPolicy);

        roles.MapPost("", CreateRole).WithName("CreateRole")
            .WithSummary("Create a role granting known permissions (supports Idempotency-Key)")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithIdempotency().WithRequestSizeLimit(MaxBody);
        roles.MapGet("", ListRoles).WithName("ListRoles").WithSummary("List roles (cursor pagination)");
        roles.MapGet("/{id}", GetRole).WithName("GetRole").WithIfNoneMatch()
            .WithSummary("Get a role by id").Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound);
        roles.MapPut("/{id}/permissions", ReplaceRolePermissions).WithName("ReplaceRolePermissions").WithIfMatch()
            .WithSummary("Replace the permissions a role grants (If-Match required)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .WithRequestSizeLimit(MaxBody);
        roles.MapDelete("/{id}", DeleteRole).WithName("DeleteRole").WithIfMatch()
            .WithSummary("Delete a role and remove it from its users (If-Match required; not admin)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return roles;
    }

    private static async Task<Created<RoleResponse>> CreateRole(CreateRoleInput body, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var role = await mediator.Send(new CreateRoleCommand(body), ct);
        ETags.Set(http.Response, role.Version);
        CacheControl.NoStore(http.Response);
        return TypedResults.Created($"{http.Request.PathBase}{http.Request.Path.Value?.TrimEnd('/')}/{role.Id}", role);
    }

    private static async Task<Ok<RolePage>> ListRoles(int? limit, string? cursor, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var page = await mediator.Send(new ListRolesQuery(limit, cursor), ct);
        Pagination.SetNextLink(http, page.NextCursor);
        CacheControl.NoStore(http.Response);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<RoleResponse>, StatusCodeHttpResult>> GetRole(string id, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var role = await mediator.Send(new GetRoleQuery(id), ct) ?? throw AppException.NotFound("Role", id);
        ETags.Set(http.Response, role.Version);
        CacheControl.NoStore(http.Response);
        return ETags.IfNoneMatchHits(http.Request, role.Version)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(role);
    }

    private static async Task<Ok<RoleResponse>> ReplaceRolePermissions(
        string id, RolePermissionsInput body, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var role = await mediator.Send(new ReplaceRolePermissionsCommand(id, ETags.RequireIfMatch(http.Request), body), ct);
        ETags.Set(http.Response, role.Version);
        CacheControl.NoStore(http.Response);
        return TypedResults.Ok(role);
    }

    private static async Task<NoContent> DeleteRole(string id, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        await mediator.Send(new DeleteRoleCommand(id, ETags.RequireIfMatch(http.Request)), ct);
        return TypedResults.NoContent();
    }
}
