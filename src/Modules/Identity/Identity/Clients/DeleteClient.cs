using FluentValidation;
using Mediator;
using Monolith.Shared.Infrastructure.Errors;
using OpenIddict.Abstractions;

namespace Monolith.Modules.Identity.Clients;

/// <summary>Deletes a client with its authorizations and tokens: its tokens stop working at once.</summary>
internal sealed record DeleteClientCommand(string ClientId) : ICommand;

internal sealed class DeleteClientValidator : AbstractValidator<DeleteClientCommand>
{
    public DeleteClientValidator() => RuleFor(c => c.ClientId).NotEmpty().MaximumLength(64);
}

internal sealed class DeleteClientHandler(IOpenIddictApplicationManager applications) : ICommandHandler<DeleteClientCommand>
{
    public async ValueTask<Unit> Handle(DeleteClientCommand command, CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(command.ClientId, ct) ?? throw AppException.NotFound("Client", command.ClientId);
        try
        {
            await applications.DeleteAsync(application, ct);
        }
        catch (OpenIddictExceptions.ConcurrencyException)
        {
            throw AppException.Conflict("The client changed meanwhile; try again.");
        }

        return Unit.Value;
    }
}
