using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Domain;

namespace Monolith.Modules.Identity.RoleAdmin;

internal sealed record RolePermissionsInput(IReadOnlyList<string>? Permissions);

/// <summary>Replaces what a role grants (If-Match). Users get the new permissions with their next token.</summary>
internal sealed record ReplaceRolePermissionsCommand(string Id, long? ExpectedVersion, RolePermissionsInput Body) : ICommand<RoleResponse>;

internal sealed class ReplaceRolePermissionsValidator : AbstractValidator<ReplaceRolePermissionsCommand>
{
    public ReplaceRolePermissionsValidator(KnownPermissions known)
    {
        RuleFor(c => c.Body).NotNull();
        RuleFor(c => c.Body.Permissions).KnownPermissionsOnly(known).When(c => c.Body is not null);
    }
}

internal sealed class ReplaceRolePermissionsHandler(RoleManager<Role> roles) : ICommandHandler<ReplaceRolePermissionsCommand, RoleResponse>
{
    public async ValueTask<RoleResponse> Handle(ReplaceRolePermissionsCommand command, CancellationToken ct)
    {
        var role = await RoleGuards.LoadAsync(roles, command.Id, command.ExpectedVersion);
        var permissions = RoleGuards.Normalize(command.Body.Permissions!);
        RoleGuards.EnsureAdminKeepsAdministration(role, permissions);
        role.Permissions = permissions;
        IdentityResults.ThrowIfFailed(await roles.UpdateAsync(role));
        return role.ToResponse();
    }
}
