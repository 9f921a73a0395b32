using FluentValidation;
using Mediator;
using Monolith.Modules.Identity.OpenId;
using Monolith.Shared.Infrastructure.Errors;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Monolith.Modules.Identity.Clients;

/// <summary>A new secret for a confidential client; the old one stops working at once.</summary>
internal sealed record RotateClientSecretCommand(string ClientId) : ICommand<ClientWithSecret>;

internal sealed class RotateClientSecretValidator : AbstractValidator<RotateClientSecretCommand>
{
    public RotateClientSecretValidator() => RuleFor(c => c.ClientId).NotEmpty().MaximumLength(64);
}

internal sealed class RotateClientSecretHandler(IOpenIddictApplicationManager applications, OidcDb db)
    : ICommandHandler<RotateClientSecretCommand, ClientWithSecret>
{
    public async ValueTask<ClientWithSecret> Handle(RotateClientSecretCommand command, CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(command.ClientId, ct) ?? throw AppException.NotFound("Client", command.ClientId);
        if (!await applications.HasClientTypeAsync(application, ClientTypes.Confidential, ct))
        {
            throw AppException.Conflict("Only confidential clients have a secret.");
        }

        var secret = ClientMapping.NewSecret();
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        descriptor.ClientSecret = secret;
        try
        {
            await applications.UpdateAsync(application, descriptor, ct);
        }
        catch (OpenIddictExceptions.ConcurrencyException)
        {
            throw AppException.Conflict("The client changed meanwhile; try again.");
        }

        return new ClientWithSecret(ClientMapping.ToResponse(await ClientLookup.FindAsync(db, command.ClientId, ct)), secret);
    }
}
