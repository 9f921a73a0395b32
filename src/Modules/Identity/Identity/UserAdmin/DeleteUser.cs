using Mediator;
using Microsoft.AspNetCore.Identity;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Infrastructure.Errors;

namespace Monolith.Modules.Identity.UserAdmin;

/// <summary>Soft-deletes a user (If-Match); administrators cannot delete themselves.</summary>
internal sealed record DeleteUserCommand(string Id, long? ExpectedVersion, string? CallerId) : ICommand;

internal sealed class DeleteUserHandler(UserManager<User> users) : ICommandHandler<DeleteUserCommand>
{
    public async ValueTask<Unit> Handle(DeleteUserCommand command, CancellationToken ct)
    {
        var user = await UserGuards.LoadLiveAsync(users, command.Id, command.ExpectedVersion);
        if (command.CallerId == user.Id)
        {
            throw AppException.Conflict("You cannot delete your own account.");
        }

        IdentityResults.ThrowIfFailed(await users.DeleteAsync(user));
        return Unit.Value;
    }
}

/// <summary>Brings a soft-deleted user back (its email stayed reserved meanwhile, so nothing can clash).</summary>
internal sealed record RestoreUserCommand(string Id) : ICommand<UserResponse>;

internal sealed class RestoreUserHandler(IdentityDb db, TimeProvider clock) : ICommandHandler<RestoreUserCommand, UserResponse>
{
    public async ValueTask<UserResponse> Handle(RestoreUserCommand command, CancellationToken ct)
    {
        if (!ObjectId.TryParse(command.Id, out _))
        {
            throw AppException.NotFound("User", command.Id);
        }

        var filter = Builders<User>.Filter;
        var restored = await db.Users.FindOneAndUpdateAsync(
            filter.Eq(u => u.Id, command.Id) & filter.Ne(u => u.DeletedAt, null),
            Builders<User>.Update
                .Set(u => u.DeletedAt, null)
                .Set(u => u.UpdatedAt, clock.GetUtcNow())
                .Set(u => u.ConcurrencyStamp, Guid.NewGuid().ToString("N"))
                .Inc(u => u.Version, 1),
            new FindOneAndUpdateOptions<User> { ReturnDocument = ReturnDocument.After },
            ct);
        return restored?.ToResponse(clock.GetUtcNow()) ?? throw AppException.NotFound("Deleted user", command.Id);
    }
}
