using System.ComponentModel;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Monolith.Modules.Identity.Contracts;
using Monolith.Shared.Infrastructure.Web;

namespace Monolith.Modules.Identity.Clients;

/// <summary><c>/api/v1/identity/clients</c>: OAuth clients, for holders of <c>identity.admin</c>.</summary>
internal static class ClientEndpoints
{
    public static RouteGroupBuilder MapClients(this RouteGroupBuilder clients)
    {
        clients.RequireAuthorization(IdentityPermissions.Admin);
        clients.MapPost("", CreateClient).WithName("CreateClient")
            .WithSummary("Register an OAuth client; a confidential client's secret is in this answer only")
            .ProducesProblem(StatusCodes.Status409Conflict);
        clients.MapGet("", ListClients).WithName("ListClients").WithSummary("List OAuth clients (cursor pagination)");
        clients.MapGet("/{clientId}", GetClient).WithName("GetClient").WithSummary("Get an OAuth client")
            .ProducesProblem(StatusCodes.Status404NotFound);
        clients.MapPost("/{clientId}/secret", RotateSecret).WithName("RotateClientSecret")
            .WithSummary("Replace a confidential client's secret; the new one is in this answer only")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        clients.MapDelete("/{clientId}", DeleteClient).WithName("DeleteClient")
            .WithSummary("Delete an OAuth client with its authorizations and tokens").ProducesProblem(StatusCodes.Status404NotFound);
        return clients;
    }

    private static async Task<Created<ClientWithSecret>> CreateClient(ClientInput body, IMediator mediator, CancellationToken ct)
    {
        var created = await mediator.Send(new CreateClientCommand(body), ct);
        return TypedResults.Created($"/api/v1/identity/clients/{created.Client.ClientId}", created);
    }

    private static async Task<Ok<ClientPage>> ListClients(
        [FromQuery(Name = "limit"), Description("Page size, 1-100, default 20.")] int? limit,
        [FromQuery(Name = "cursor"), Description("The nextCursor of the previous page.")] string? cursor,
        HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var page = await mediator.Send(new ListClientsQuery(limit, cursor), ct);
        Pagination.SetNextLink(http, page.NextCursor);
        return TypedResults.Ok(page);
    }

    private static async Task<Ok<ClientResponse>> GetClient(string clientId, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetClientQuery(clientId), ct));

    private static async Task<Ok<ClientWithSecret>> RotateSecret(string clientId, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new RotateClientSecretCommand(clientId), ct));

    private static async Task<NoContent> DeleteClient(string clientId, IMediator mediator, CancellationToken ct)
    {
        await mediator.Send(new DeleteClientCommand(clientId), ct);
        return TypedResults.NoContent();
    }
}
