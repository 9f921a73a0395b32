using Mediator;
using Microsoft.AspNetCore.Identity;
using MongoDB.Driver;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Contracts;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Abstractions.Events;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.SoftDelete;

namespace Monolith.Modules.Identity.RoleAdmin;

/// <summary>
/// Deletes a role (If-Match) and takes it away from its users, each of whom gets a <see cref="UserRolesChanged"/>;
/// the <c>admin</c> role cannot be deleted.
/// </summary>
internal sealed record DeleteRoleCommand(string Id, long? ExpectedVersion) : ICommand;

internal sealed class DeleteRoleHandler(RoleManager<Role> roles, IdentityDb db, IIntegrationEventPublisher events, TimeProvider clock)
    : ICommandHandler<DeleteRoleCommand>
{
    public async ValueTask<Unit> Handle(DeleteRoleCommand command, CancellationToken ct)
    {
        var role = await RoleGuards.LoadAsync(roles, command.Id, command.ExpectedVersion);
        if (RoleGuards.IsAdmin(role))
        {
            throw AppException.Conflict($"The '{role.Name}' role cannot be deleted.");
        }

        var members = await db.Users.Find(Builders<User>.Filter.AnyEq(u => u.Roles, role.Name) & SoftDelete.Live<User>())
            .Project(u => new { u.Id, u.Roles })
            .ToListAsync(ct);
        IdentityResults.ThrowIfFailed(await roles.DeleteAsync(role));

        var now = clock.GetUtcNow();
        foreach (var member in members)
        {
            var remaining = member.Roles.Where(r => r != role.Name).ToList();
            await events.PublishAsync(new UserRolesChanged(Guid.NewGuid(), now, member.Id, remaining), ct);
        }

        return Unit.Value;
    }
}
