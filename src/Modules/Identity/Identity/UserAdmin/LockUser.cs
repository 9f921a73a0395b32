using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Domain;

namespace Monolith.Modules.Identity.UserAdmin;

internal sealed record LockUserInput(DateTimeOffset? Until);

/// <summary>
/// Locks a user until a date, or indefinitely without one; the security stamp changes so existing sessions end.
/// </summary>
internal sealed record LockUserCommand(string Id, LockUserInput? Body) : ICommand<UserResponse>;

internal sealed class LockUserValidator : AbstractValidator<LockUserCommand>
{
    public LockUserValidator(TimeProvider clock) =>
        RuleFor(c => c.Body!.Until).Must(u => u is null || u > clock.GetUtcNow()).When(c => c.Body is not null)
            .WithMessage("The lock must end in the future (omit it to lock indefinitely).");
}

internal sealed class LockUserHandler(UserManager<User> users, TimeProvider clock) : ICommandHandler<LockUserCommand, UserResponse>
{
    public async ValueTask<UserResponse> Handle(LockUserCommand command, CancellationToken ct)
    {
        var user = await UserGuards.LoadLiveAsync(users, command.Id);
        user.LockoutEnabled = true;
        user.LockoutEnd = command.Body?.Until ?? UserMapping.Indefinitely;
        IdentityResults.ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
        return user.ToResponse(clock.GetUtcNow());
    }
}

/// <summary>Ends a lock (an administrator's or one from failed sign-ins) and forgets the failed attempts.</summary>
internal sealed record UnlockUserCommand(string Id) : ICommand<UserResponse>;

internal sealed class UnlockUserHandler(UserManager<User> users, TimeProvider clock) : ICommandHandler<UnlockUserCommand, UserResponse>
{
    public async ValueTask<UserResponse> Handle(UnlockUserCommand command, CancellationToken ct)
    {
        var user = await UserGuards.LoadLiveAsync(users, command.Id);
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        IdentityResults.ThrowIfFailed(await users.UpdateAsync(user));
        return user.ToResponse(clock.GetUtcNow());
    }
}
