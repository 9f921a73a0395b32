using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Contracts;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Abstractions.Events;
using Monolith.Shared.Infrastructure.Errors;

namespace Monolith.Modules.Identity.UserAdmin;

internal sealed record CreateUserInput(string? Email, string? Password, string? DisplayName, IReadOnlyList<string>? Roles);

internal sealed record CreateUserCommand(CreateUserInput Body) : ICommand<UserResponse>;

internal sealed class CreateUserValidator : AbstractValidator<CreateUserCommand>
{
    public CreateUserValidator()
    {
        RuleFor(c => c.Body).NotNull();
        When(c => c.Body is not null, () =>
        {
            RuleFor(c => c.Body.Email).NotEmpty().MaximumLength(256).EmailAddress();
            RuleFor(c => c.Body.Password).NotEmpty().MaximumLength(256);
            RuleFor(c => c.Body.DisplayName).MaximumLength(100);
            RuleFor(c => c.Body.Roles).Must(r => r is null || r.Count <= 20).WithMessage("At most 20 roles.");
        });
    }
}

/// <summary>
/// Creates a user (email confirmed: an administrator vouches for it) with the given roles; the password policy's
/// failures come back as field errors on <c>password</c>. Publishes <see cref="UserRegistered"/>.
/// </summary>
internal sealed class CreateUserHandler(UserManager<User> users, IdentityDb db, IIntegrationEventPublisher events, TimeProvider clock)
    : ICommandHandler<CreateUserCommand, UserResponse>
{
    public async ValueTask<UserResponse> Handle(CreateUserCommand command, CancellationToken ct)
    {
        var body = command.Body;
        var user = new User { UserName = body.Email!, Email = body.Email!, DisplayName = body.DisplayName, EmailConfirmed = true };

        var errors = new Dictionary<string, string[]>();
        var passwordErrors = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, body.Password);
            passwordErrors.AddRange(result.Errors.Select(e => e.Description));
        }

        if (passwordErrors.Count > 0)
        {
            errors["password"] = [.. passwordErrors.Distinct()];
        }

        try
        {
            user.Roles = await UserGuards.ResolveRolesAsync(db, body.Roles, ct);
        }
        catch (AppException e) when (e.Errors is not null)
        {
            foreach (var (field, messages) in e.Errors)
            {
                errors[field] = messages;
            }
        }

        if (errors.Count > 0)
        {
            throw AppException.Validation(errors);
        }

        IdentityResults.ThrowIfFailed(await users.CreateAsync(user, body.Password!));
        await events.PublishAsync(new UserRegistered(Guid.NewGuid(), user.CreatedAt, user.Id, user.Email), ct);
        return user.ToResponse(clock.GetUtcNow());
    }
}
