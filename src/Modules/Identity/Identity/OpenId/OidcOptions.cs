namespace Monolith.Modules.Identity.OpenId;

/// <summary><c>Identity</c>: the OpenID Connect server's settings (seeding lives in <c>Identity:Seed</c>).</summary>
internal sealed class OidcOptions
{
    public const string Section = "Identity";

    /// <summary>The audience of every access token, and what the API's token validation requires.</summary>
    public const string ApiAudience = "monolith-api";

    /// <summary>
    /// How long a redeemed refresh token may still be used (concurrent refreshes). Zero: any reuse is a replay, which
    /// revokes the whole token family. OpenIddict's own default is 30 seconds.
    /// </summary>
    public TimeSpan RefreshTokenReuseLeeway { get; set; } = TimeSpan.Zero;

    /// <summary>API scopes offered beyond the modules' permissions (for modules not built yet).</summary>
    public string[] ExtraApiScopes { get; set; } = [];

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long token and authorization entries are cached in process (see OidcEntryCache); zero: off.</summary>
    public TimeSpan EntryCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    public OidcPruneOptions Prune { get; set; } = new();

    public OidcKeyOptions Keys { get; set; } = new();

    /// <summary>Production: the certificates whose keys sign tokens; all are published, the one valid longest signs.</summary>
    public List<OidcCertificate> SigningCertificates { get; set; } = [];

    /// <summary>Production: the certificates whose keys encrypt tokens only the server reads (codes, refresh tokens).</summary>
    public List<OidcCertificate> EncryptionCertificates { get; set; } = [];
}

internal sealed class OidcPruneOptions
{
    public bool Enabled { get; set; } = true;

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Only entries created longer ago than this are pruned.</summary>
    public TimeSpan MinimumAge { get; set; } = TimeSpan.FromDays(1);
}

internal sealed class OidcKeyOptions
{
    /// <summary>Development/Testing: where the generated RSA keys are kept, relative to the content root (git-ignored).</summary>
    public string Path { get; set; } = ".data/keys";
}

/// <summary>A PKCS#12 certificate with its private key: a file path or base64 content, and its password.</summary>
internal sealed class OidcCertificate
{
    public string? Path { get; set; }

    public string? Base64 { get; set; }

    public string? Password { get; set; }
}
