using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Monolith.Shared.Infrastructure.Caching;
using Monolith.Shared.Infrastructure.Security;

namespace Monolith.Modules.Identity.Me;

internal static class MeEndpoints
{
    public static RouteHandlerBuilder MapMe(this IEndpointRouteBuilder identity) =>
        identity.MapGet("/me", GetMe).WithName("GetMe")
            .WithSummary("Who the caller is: a user's profile, roles and permissions, or another principal's subject and permissions")
            .RequireAuthorization().RequireRateLimiting(AccountsRegistration.MePolicy);

    private static async Task<Ok<MeResponse>> GetMe(ClaimsPrincipal caller, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        // Tokens from the OAuth server carry "sub"; the other schemes map it to NameIdentifier.
        var subject = caller.FindFirstValue(ClaimTypes.NameIdentifier) ?? caller.FindFirstValue("sub") ?? caller.FindFirstValue("client_id") ?? "";
        var granted = caller.FindAll(Permissions.ClaimType).Select(c => c.Value).ToList();
        CacheControl.NoStore(http.Response);
        return TypedResults.Ok(await mediator.Send(new GetMeQuery(subject, granted), ct));
    }
}
