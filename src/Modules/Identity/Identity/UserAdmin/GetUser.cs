using Mediator;
using Microsoft.AspNetCore.Identity;
using Monolith.Modules.Identity.Domain;

namespace Monolith.Modules.Identity.UserAdmin;

internal sealed record GetUserQuery(string Id) : IQuery<UserResponse?>;

internal sealed class GetUserHandler(UserManager<User> users, TimeProvider clock) : IQueryHandler<GetUserQuery, UserResponse?>
{
    public async ValueTask<UserResponse?> Handle(GetUserQuery query, CancellationToken ct) =>
        (await users.FindByIdAsync(query.Id))?.ToResponse(clock.GetUtcNow());
}
