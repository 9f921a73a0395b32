using Mediator;
using Microsoft.AspNetCore.Identity;
using Monolith.Modules.Identity.ApiKeys;
using Monolith.Modules.Identity.Domain;
using Monolith.Modules.Identity.Users;

namespace Monolith.Modules.Identity.Me;

/// <summary>
/// Who the caller is. <c>kind</c> is <c>user</c> (a stored user: profile, roles and the permissions the roles grant),
/// <c>apiKey</c>, or <c>principal</c> (anything else signed in, e.g. a client-credentials token): then only the subject
/// and the permissions it was granted.
/// </summary>
internal sealed record MeResponse(
    string Subject, string Kind, string? Email, string? DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions);

internal sealed record GetMeQuery(string Subject, IReadOnlyList<string> GrantedPermissions) : IQuery<MeResponse>;

internal sealed class GetMeHandler(UserManager<User> users, UserPermissions permissions) : IQueryHandler<GetMeQuery, MeResponse>
{
    public async ValueTask<MeResponse> Handle(GetMeQuery query, CancellationToken ct)
    {
        if (await users.FindByIdAsync(query.Subject) is { } user)
        {
            return new MeResponse(user.Id, "user", user.Email, user.DisplayName, user.Roles, await permissions.ForAsync(user, ct));
        }

        var kind = query.Subject.StartsWith(ApiKeyAuthenticationHandler.SubjectPrefix, StringComparison.Ordinal) ? "apiKey" : "principal";
        var granted = query.GrantedPermissions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new MeResponse(query.Subject, kind, null, null, [], granted);
    }
}
