using Mediator;
using Microsoft.AspNetCore.Identity;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Infrastructure.Errors;

namespace Monolith.Modules.Identity.RoleAdmin;

/// <summary>Deletes a role (If-Match) and takes it away from its users; the <c>admin</c> role cannot be deleted.</summary>
internal sealed record DeleteRoleCommand(string Id, long? ExpectedVersion) : ICommand;

internal sealed class DeleteRoleHandler(RoleManager<Role> roles) : ICommandHandler<DeleteRoleCommand>
{
    public async ValueTask<Unit> Handle(DeleteRoleCommand command, CancellationToken ct)
    {
        var role = await RoleGuards.LoadAsync(roles, command.Id, command.ExpectedVersion);
        if (RoleGuards.IsAdmin(role))
        {
            throw AppException.Conflict($"The '{role.Name}' role cannot be deleted.");
        }

        IdentityResults.ThrowIfFailed(await roles.DeleteAsync(role));
        return Unit.Value;
    }
}
