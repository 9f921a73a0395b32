using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Contracts;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Abstractions.Events;

namespace Monolith.Modules.Identity.UserAdmin;

internal sealed record UserRolesInput(IReadOnlyList<string>? Roles);

/// <summary>Replaces a user's roles (If-Match) and publishes <see cref="UserRolesChanged"/> when they changed.</summary>
internal sealed record ReplaceUserRolesCommand(string Id, long? ExpectedVersion, UserRolesInput Body) : ICommand<UserResponse>;

internal sealed class ReplaceUserRolesValidator : AbstractValidator<ReplaceUserRolesCommand>
{
    public ReplaceUserRolesValidator()
    {
        RuleFor(c => c.Body).NotNull();
        RuleFor(c => c.Body.Roles).NotNull().Must(r => r is null || r.Count <= 20).WithMessage("At most 20 roles.")
            .When(c => c.Body is not null);
    }
}

internal sealed class ReplaceUserRolesHandler(UserManager<User> users, IdentityDb db, IIntegrationEventPublisher events, TimeProvider clock)
    : ICommandHandler<ReplaceUserRolesCommand, UserResponse>
{
    public async ValueTask<UserResponse> Handle(ReplaceUserRolesCommand command, CancellationToken ct)
    {
        var user = await UserGuards.LoadLiveAsync(users, command.Id, command.ExpectedVersion);
        var roles = await UserGuards.ResolveRolesAsync(db, command.Body.Roles, ct);
        var changed = !roles.Order(StringComparer.Ordinal).SequenceEqual(user.Roles.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        user.Roles = roles;
        if (changed)
        {
            // New roles mean new permissions: refresh the stamp so sessions re-read them.
            IdentityResults.ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
            await events.PublishAsync(new UserRolesChanged(Guid.NewGuid(), user.UpdatedAt, user.Id, roles), ct);
        }

        return user.ToResponse(clock.GetUtcNow());
    }
}
