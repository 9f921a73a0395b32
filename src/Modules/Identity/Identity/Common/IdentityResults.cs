using Microsoft.AspNetCore.Identity;
using Monolith.Shared.Infrastructure.Errors;

namespace Monolith.Modules.Identity.Common;

/// <summary>ASP.NET Core Identity's failures as the API's errors: field errors, 409 for duplicates, 412 for lost races.</summary>
internal static class IdentityResults
{
    public static void ThrowIfFailed(IdentityResult result)
    {
        if (result.Succeeded)
        {
            return;
        }

        var codes = result.Errors.Select(e => e.Code).ToList();
        if (codes.Contains(nameof(IdentityErrorDescriber.ConcurrencyFailure)))
        {
            throw AppException.PreconditionFailed();
        }

        if (result.Errors.FirstOrDefault(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail)
                or nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.DuplicateRoleName)) is { } duplicate)
        {
            throw AppException.Conflict(duplicate.Description);
        }

        throw AppException.Validation(result.Errors
            .GroupBy(e => FieldOf(e.Code))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).Distinct().ToArray()));
    }

    public static string FieldOf(string code) => code switch
    {
        _ when code.StartsWith("Password", StringComparison.Ordinal) => "password",
        nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.InvalidUserName) => "email",
        nameof(IdentityErrorDescriber.InvalidRoleName) => "name",
        _ => "body",
    };
}
