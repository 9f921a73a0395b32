using FluentValidation;
using Mediator;
using Monolith.Modules.Identity.OpenId;
using Monolith.Shared.Infrastructure.Errors;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Monolith.Modules.Identity.Clients;

internal sealed record CreateClientCommand(ClientInput Body) : ICommand<ClientWithSecret>;

internal sealed class CreateClientValidator : AbstractValidator<CreateClientCommand>
{
    public CreateClientValidator(ApiScopes apiScopes)
    {
        RuleFor(c => c.Body).NotNull();
        When(c => c.Body is not null, () =>
        {
            RuleFor(c => c.Body.ClientId).NotEmpty().Matches("^[a-z0-9][a-z0-9._-]{2,63}$")
                .WithMessage("clientId: 3-64 lower-case letters, digits, '.', '_' or '-'.").OverridePropertyName("clientId");
            RuleFor(c => c.Body.DisplayName).MaximumLength(100).OverridePropertyName("displayName");
            RuleFor(c => c.Body.Type).Must(t => t is ClientTypes.Public or ClientTypes.Confidential)
                .WithMessage("type is public or confidential.").OverridePropertyName("type");
            RuleFor(c => c.Body.Consent).Must(t => t is null or ConsentTypes.Explicit or ConsentTypes.Implicit)
                .WithMessage("consent is explicit (the default) or implicit (first-party clients only).").OverridePropertyName("consent");
            RuleFor(c => c.Body.GrantTypes).NotEmpty().OverridePropertyName("grantTypes");
            RuleForEach(c => c.Body.GrantTypes).Must(g => ClientMapping.GrantTypeNames.Contains(g))
                .WithMessage("grantTypes are authorization_code, refresh_token and client_credentials.").OverridePropertyName("grantTypes");
            RuleFor(c => c.Body).Must(b => b.Type == ClientTypes.Confidential || !(b.GrantTypes ?? []).Contains(GrantTypes.ClientCredentials))
                .WithMessage("client_credentials needs a confidential client.").OverridePropertyName("grantTypes");
            RuleFor(c => c.Body).Must(b => !(b.GrantTypes ?? []).Contains(GrantTypes.AuthorizationCode) || (b.RedirectUris ?? []).Count > 0)
                .WithMessage("authorization_code needs at least one redirect URI.").OverridePropertyName("redirectUris");
            RuleForEach(c => c.Body.Scopes).Must(s => ClientMapping.IsKnownScope(apiScopes, s))
                .WithMessage("Unknown scope.").OverridePropertyName("scopes");
            RuleForEach(c => c.Body.RedirectUris).Must(ClientMapping.IsAcceptableRedirect)
                .WithMessage("Redirect URIs are absolute https URIs (http only on loopback), without fragment.").OverridePropertyName("redirectUris");
            RuleForEach(c => c.Body.PostLogoutRedirectUris).Must(ClientMapping.IsAcceptableRedirect)
                .WithMessage("Post-logout URIs are absolute https URIs (http only on loopback), without fragment.").OverridePropertyName("postLogoutRedirectUris");
        });
    }
}

internal sealed class CreateClientHandler(IOpenIddictApplicationManager applications, OidcDb db) : ICommandHandler<CreateClientCommand, ClientWithSecret>
{
    public async ValueTask<ClientWithSecret> Handle(CreateClientCommand command, CancellationToken ct)
    {
        if (await applications.FindByClientIdAsync(command.Body.ClientId!, ct) is not null)
        {
            throw AppException.Conflict($"A client with id '{command.Body.ClientId}' already exists.");
        }

        var descriptor = ClientMapping.ToDescriptor(command.Body);
        var secret = command.Body.Type == ClientTypes.Confidential ? ClientMapping.NewSecret() : null;
        descriptor.ClientSecret = secret;
        try
        {
            await applications.CreateAsync(descriptor, ct);
        }
        catch (OpenIddictExceptions.ValidationException e)
        {
            throw AppException.Validation("client", string.Join(" ", e.Results.Select(r => r.ErrorMessage)));
        }

        var stored = await ClientLookup.FindAsync(db, command.Body.ClientId!, ct);
        return new ClientWithSecret(ClientMapping.ToResponse(stored), secret);
    }
}
