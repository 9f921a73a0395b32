using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Domain;

namespace Monolith.Modules.Identity.RoleAdmin;

internal sealed record CreateRoleInput(string? Name, string? Description, IReadOnlyList<string>? Permissions);

internal sealed record CreateRoleCommand(CreateRoleInput Body) : ICommand<RoleResponse>;

internal sealed class CreateRoleValidator : AbstractValidator<CreateRoleCommand>
{
    public CreateRoleValidator(KnownPermissions known)
    {
        RuleFor(c => c.Body).NotNull();
        When(c => c.Body is not null, () =>
        {
            RuleFor(c => c.Body.Name).NotEmpty().MaximumLength(64).Matches("^[A-Za-z0-9][A-Za-z0-9._-]*$")
                .WithMessage("A role name is letters, digits, '.', '_' and '-', starting with a letter or digit.");
            RuleFor(c => c.Body.Description).MaximumLength(200);
            RuleFor(c => c.Body.Permissions).KnownPermissionsOnly(known);
        });
    }
}

internal sealed class CreateRoleHandler(RoleManager<Role> roles) : ICommandHandler<CreateRoleCommand, RoleResponse>
{
    public async ValueTask<RoleResponse> Handle(CreateRoleCommand command, CancellationToken ct)
    {
        var role = new Role
        {
            Name = command.Body.Name!,
            Description = command.Body.Description,
            Permissions = RoleGuards.Normalize(command.Body.Permissions!),
        };
        IdentityResults.ThrowIfFailed(await roles.CreateAsync(role));
        return role.ToResponse();
    }
}
