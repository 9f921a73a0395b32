using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Contracts;
using Monolith.Shared.Infrastructure.Caching;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.Web;

namespace Monolith.Modules.Identity.ApiKeys;

internal static class ApiKeyEndpoints
{
    private const long MaxBody = 16 * 1024;

    public static RouteGroupBuilder MapApiKeys(this IEndpointRouteBuilder identity)
    {
        var keys = identity.MapGroup("/api-keys")
            .RequireAuthorization(IdentityPermissions.Admin).RequireRateLimiting(AccountsRegistration.AdminPolicy);

        // Deliberately without Idempotency-Key: a replayable response would keep the key in identity.idempotency.
        keys.MapPost("", CreateApiKey).WithName("CreateApiKey")
            .WithSummary("Create an API key; the response is the only time the key is shown")
            .WithRequestSizeLimit(MaxBody);
        keys.MapGet("", ListApiKeys).WithName("ListApiKeys")
            .WithSummary("List API keys, newest first (cursor pagination; never the keys themselves)");
        keys.MapGet("/{id}", GetApiKey).WithName("GetApiKey")
            .WithSummary("Get an API key's metadata by id").ProducesProblem(StatusCodes.Status404NotFound);
        keys.MapDelete("/{id}", RevokeApiKey).WithName("RevokeApiKey")
            .WithSummary("Revoke an API key (idempotent); it is refused from the next request on")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return keys;
    }

    private static async Task<Created<ApiKeyCreatedResponse>> CreateApiKey(
        ApiKeyInput body, ClaimsPrincipal user, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var key = await mediator.Send(new CreateApiKeyCommand(body, user.FindFirstValue(ClaimTypes.NameIdentifier)), ct);
        CacheControl.NoStore(http.Response);
        return TypedResults.Created($"{http.Request.PathBase}{http.Request.Path.Value?.TrimEnd('/')}/{key.Id}", key);
    }

    private static async Task<Ok<ApiKeyPage>> ListApiKeys(int? limit, string? cursor, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var page = await mediator.Send(new ListApiKeysQuery(limit, cursor), ct);
        Pagination.SetNextLink(http, page.NextCursor);
        CacheControl.NoStore(http.Response);
        return TypedResults.Ok(page);
    }

    private static async Task<Ok<ApiKeyResponse>> GetApiKey(string id, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var key = await mediator.Send(new GetApiKeyQuery(id), ct) ?? throw AppException.NotFound("API key", id);
        CacheControl.NoStore(http.Response);
        return TypedResults.Ok(key);
    }

    private static async Task<NoContent> RevokeApiKey(string id, IMediator mediator, CancellationToken ct)
    {
        await mediator.Send(new RevokeApiKeyCommand(id), ct);
        return TypedResults.NoContent();
    }
}
