using Mediator;
using Microsoft.AspNetCore.Identity;
using Monolith.Modules.Identity.Domain;

namespace Monolith.Modules.Identity.RoleAdmin;

internal sealed record GetRoleQuery(string Id) : IQuery<RoleResponse?>;

internal sealed class GetRoleHandler(RoleManager<Role> roles) : IQueryHandler<GetRoleQuery, RoleResponse?>
{
    public async ValueTask<RoleResponse?> Handle(GetRoleQuery query, CancellationToken ct) =>
        (await roles.FindByIdAsync(query.Id))?.ToResponse();
}
