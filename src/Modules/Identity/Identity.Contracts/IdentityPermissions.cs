namespace Monolith.Modules.Identity.Contracts;

/// <summary>Permissions the identity module's own endpoints require.</summary>
public static class IdentityPermissions
{
    /// <summary>Manage users, roles, OAuth clients and API keys.</summary>
    public const string Admin = "identity.admin";

    public static readonly string[] All = [Admin];
}
