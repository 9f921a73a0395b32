using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Monolith.Modules.Identity.OpenId;

/// <summary>
/// The server's signing and encryption keys. Development and Testing: one RSA key pair each, generated on first start
/// and kept as PEM files under <c>Identity:Keys:Path</c> (default <c>.data/keys</c>, git-ignored) so restarts keep
/// issued tokens valid. Every other environment: PKCS#12 certificates from <c>Identity:SigningCertificates</c> and
/// <c>Identity:EncryptionCertificates</c>; all are published in the JWKS and OpenIddict signs with the valid one that
/// expires last, so a new certificate can be added before the old one is removed.
/// </summary>
internal sealed class OidcKeys(IHostEnvironment environment, IOptions<OidcOptions> options) : IConfigureOptions<OpenIddictServerOptions>
{
    public static bool UsesGeneratedKeys(IHostEnvironment environment) =>
        environment.IsDevelopment() || environment.IsEnvironment("Testing");

    /// <summary>Refuses to start (ValidateOnStart) without certificates outside Development and Testing.</summary>
    internal sealed class Validation(IHostEnvironment environment) : IValidateOptions<OidcOptions>
    {
        public ValidateOptionsResult Validate(string? name, OidcOptions options) =>
            OidcKeys.Validate(options, environment) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }

    public static string? Validate(OidcOptions options, IHostEnvironment environment)
    {
        if (UsesGeneratedKeys(environment))
        {
            return null;
        }

        if (options.SigningCertificates.Count == 0 || options.EncryptionCertificates.Count == 0)
        {
            return $"The OpenID Connect server needs certificates in {environment.EnvironmentName}: set Identity:SigningCertificates and " +
                   "Identity:EncryptionCertificates (each entry: Path or Base64 of a PKCS#12 file, and Password), e.g. " +
                   "Identity__SigningCertificates__0__Path=/run/secrets/signing.pfx. Generated keys are only used in Development and Testing.";
        }

        return options.SigningCertificates.Concat(options.EncryptionCertificates).Any(c => string.IsNullOrEmpty(c.Path) == string.IsNullOrEmpty(c.Base64))
            ? "Each entry of Identity:SigningCertificates and Identity:EncryptionCertificates needs exactly one of Path or Base64."
            : null;
    }

    public void Configure(OpenIddictServerOptions server)
    {
        var settings = options.Value;
        if (UsesGeneratedKeys(environment))
        {
            var folder = Path.GetFullPath(Path.Combine(environment.ContentRootPath, settings.Keys.Path));
            server.SigningCredentials.Add(new SigningCredentials(LoadOrCreate(folder, "signing.pem"), SecurityAlgorithms.RsaSha256));
            server.EncryptionCredentials.Add(new EncryptingCredentials(
                LoadOrCreate(folder, "encryption.pem"), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
            return;
        }

        foreach (var certificate in settings.SigningCertificates.Select(Load))
        {
            server.SigningCredentials.Add(new SigningCredentials(new X509SecurityKey(certificate), SecurityAlgorithms.RsaSha256));
        }

        foreach (var certificate in settings.EncryptionCertificates.Select(Load))
        {
            server.EncryptionCredentials.Add(new EncryptingCredentials(
                new X509SecurityKey(certificate), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }

    private static X509Certificate2 Load(OidcCertificate source)
    {
        var certificate = source.Path is { Length: > 0 } path
            ? X509CertificateLoader.LoadPkcs12FromFile(path, source.Password, X509KeyStorageFlags.EphemeralKeySet)
            : X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(source.Base64!), source.Password, X509KeyStorageFlags.EphemeralKeySet);
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"The certificate {certificate.Subject} ({certificate.Thumbprint}) has no private key.");
    }

    /// <summary>Reads the key, or creates it; concurrent first starts agree on one file (create-new, then re-read).</summary>
    private static RsaSecurityKey LoadOrCreate(string folder, string name)
    {
        var file = Path.Combine(folder, name);
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(folder);
            using var rsa = RSA.Create(2048);
            var temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temp, rsa.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                File.Move(temp, file, overwrite: false);
            }
            catch (IOException) when (File.Exists(file))
            {
                File.Delete(temp); // another process won the race: use its key
            }
        }

        var key = RSA.Create();
        key.ImportFromPem(File.ReadAllText(file));
        var parameters = key.ExportParameters(false);
        return new RsaSecurityKey(key) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(parameters.Modulus!))[..16] };
    }
}
