namespace Monolith.Modules.Identity.Seeding;

/// <summary><c>Identity:Seed</c>: the accounts and clients the <c>seed</c> command (and Development start-up) creates.</summary>
internal sealed class IdentitySeedOptions
{
    public const string Section = "Identity:Seed";

    /// <summary>Seed on start-up (Development only by configuration).</summary>
    public bool OnStartup { get; set; }

    public string AdminEmail { get; set; } = "admin@localhost";

    /// <summary>Required; never defaulted. Development's appsettings carries a development-only value.</summary>
    public string? AdminPassword { get; set; }

    public string[] SpaRedirectUris { get; set; } = ["http://localhost:3000/callback"];

    public string[] SpaPostLogoutRedirectUris { get; set; } = ["http://localhost:3000/"];

    /// <summary>Secret of the confidential <c>monolith-service</c> client; required to seed it.</summary>
    public string? ServiceClientSecret { get; set; }
}
