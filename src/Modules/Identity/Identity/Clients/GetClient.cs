using FluentValidation;
using Mediator;
using Monolith.Modules.Identity.OpenId;

namespace Monolith.Modules.Identity.Clients;

internal sealed record GetClientQuery(string ClientId) : IQuery<ClientResponse>;

internal sealed class GetClientValidator : AbstractValidator<GetClientQuery>
{
    public GetClientValidator() => RuleFor(q => q.ClientId).NotEmpty().MaximumLength(64);
}

internal sealed class GetClientHandler(OidcDb db) : IQueryHandler<GetClientQuery, ClientResponse>
{
    public async ValueTask<ClientResponse> Handle(GetClientQuery query, CancellationToken ct) =>
        ClientMapping.ToResponse(await ClientLookup.FindAsync(db, query.ClientId, ct));
}
