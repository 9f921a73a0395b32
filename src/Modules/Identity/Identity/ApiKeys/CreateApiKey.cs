using FluentValidation;
using Mediator;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Domain;

namespace Monolith.Modules.Identity.ApiKeys;

internal sealed record ApiKeyInput(string? Name, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt);

internal sealed record CreateApiKeyCommand(ApiKeyInput Body, string? CreatedBy) : ICommand<ApiKeyCreatedResponse>;

internal sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyValidator(KnownPermissions permissions, TimeProvider clock)
    {
        RuleFor(c => c.Body).NotNull();
        RuleFor(c => c.Body.Name).NotEmpty().MaximumLength(100).When(c => c.Body is not null);
        RuleFor(c => c.Body.Scopes).NotEmpty().When(c => c.Body is not null)
            .Must(s => s is null || s.All(permissions.Contains)).WithMessage(c => permissions.Unknown(c.Body.Scopes ?? []))
            .Must(s => s is null || s.Count <= 50).WithMessage("At most 50 scopes.");
        RuleFor(c => c.Body.ExpiresAt).Must(e => e is null || e > clock.GetUtcNow()).When(c => c.Body is not null)
            .WithMessage("The expiry must be in the future.");
    }
}

internal sealed class CreateApiKeyHandler(ApiKeyStore store, TimeProvider clock) : ICommandHandler<CreateApiKeyCommand, ApiKeyCreatedResponse>
{
    public async ValueTask<ApiKeyCreatedResponse> Handle(CreateApiKeyCommand command, CancellationToken ct)
    {
        var (key, prefix) = ApiKeySecret.Generate();
        var apiKey = new ApiKey
        {
            Prefix = prefix,
            Name = command.Body.Name!,
            Scopes = [.. command.Body.Scopes!.Distinct(StringComparer.Ordinal)],
            SecretHash = ApiKeySecret.Hash(key),
            CreatedBy = command.CreatedBy,
            CreatedAt = Timestamps.Stored(clock.GetUtcNow()),
            ExpiresAt = Timestamps.Stored(command.Body.ExpiresAt),
        };
        await store.Keys.InsertOneAsync(apiKey, cancellationToken: ct);
        return new ApiKeyCreatedResponse(apiKey.Id, key, prefix, apiKey.Name, apiKey.Scopes, apiKey.CreatedAt, apiKey.ExpiresAt);
    }
}
