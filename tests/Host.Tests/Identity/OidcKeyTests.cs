using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Identity;

/// <summary>Signing keys: generated once and kept across restarts in Development/Testing, certificates elsewhere.</summary>
public sealed class OidcKeyTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    private sealed class App(string keys, string? database = null) : OidcApp
    {
        protected override IDictionary<string, string?> ExtraSettings => database is null
            ? new Dictionary<string, string?> { ["Identity:Keys:Path"] = keys }
            : new Dictionary<string, string?> { ["Identity:Keys:Path"] = keys, ["Mongo:Database"] = database };
    }

    [Fact]
    public async Task Generated_keys_survive_a_restart_so_issued_tokens_stay_valid()
    {
        var keys = Path.Combine(Path.GetTempPath(), "monolith-keys-" + Guid.NewGuid().ToString("N"));
        var database = TestDatabase.NewDatabaseName();
        string token;
        await using (var first = new App(keys, database))
        {
            await first.InitializeAsync();
            token = (string)(await first.ClientCredentialsAsync("catalog.write"))["access_token"]!;
        }

        Assert.True(File.Exists(Path.Combine(keys, "signing.pem")));
        Assert.True(File.Exists(Path.Combine(keys, "encryption.pem")));

        await using var second = new App(keys, database);
        await second.InitializeAsync();
        var jwks = await (await second.CreateClient().GetAsync("/.well-known/jwks", ct)).BodyAsync();
        Assert.Contains(jwks["keys"]!.AsArray(), k => (string?)k!["kid"] == new JsonWebToken(token).Kid);
        var response = await second.Bearer(token).PostAsync("/api/v1/catalog/products", Http.Json("{}"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode); // authenticated and authorized; the body is invalid

        // A host with other keys does not accept it.
        await using var stranger = new App(keys + "-other", database);
        await stranger.InitializeAsync();
        var refused = await stranger.Bearer(token).PostAsync("/api/v1/catalog/products", Http.Json("{}"), ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Directory.Delete(keys, recursive: true);
        Directory.Delete(keys + "-other", recursive: true);
    }

    [Fact]
    public void Production_refuses_to_start_without_signing_certificates()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("ConnectionStrings:Mongo", "mongodb://127.0.0.1:1/?directConnection=true&serverSelectionTimeoutMS=500");
        });
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Identity:SigningCertificates", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_two_signing_certificates_both_are_published_and_the_one_valid_longest_signs()
    {
        using var older = Certificate("CN=old", TimeSpan.FromDays(30));
        using var newer = Certificate("CN=new", TimeSpan.FromDays(365));
        using var encryption = Certificate("CN=enc", TimeSpan.FromDays(365));
        await using var app = new StagingApp(new Dictionary<string, string?>
        {
            ["Identity:SigningCertificates:0:Base64"] = Convert.ToBase64String(older.Export(X509ContentType.Pkcs12, "pw")),
            ["Identity:SigningCertificates:0:Password"] = "pw",
            ["Identity:SigningCertificates:1:Base64"] = Convert.ToBase64String(newer.Export(X509ContentType.Pkcs12, "pw")),
            ["Identity:SigningCertificates:1:Password"] = "pw",
            ["Identity:EncryptionCertificates:0:Base64"] = Convert.ToBase64String(encryption.Export(X509ContentType.Pkcs12, "pw")),
            ["Identity:EncryptionCertificates:0:Password"] = "pw",
        });
        await app.InitializeAsync();
        var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });

        var jwks = await (await https.GetAsync("/.well-known/jwks", ct)).BodyAsync();
        var kids = jwks["keys"]!.AsArray().Select(k => (string?)k!["kid"]).ToList();
        Assert.Contains(older.Thumbprint, kids);
        Assert.Contains(newer.Thumbprint, kids);

        var response = await https.PostAsync("/connect/token", OidcApp.Form(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "monolith-service", ["client_secret"] = OidcApp.ServiceSecret, ["scope"] = "catalog.read",
        }), ct);
        var body = await response.BodyAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal(newer.Thumbprint, new JsonWebToken((string)body["access_token"]!).Kid);
    }

    private sealed class StagingApp(IDictionary<string, string?> extra) : OidcApp
    {
        protected override IDictionary<string, string?> ExtraSettings => extra;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Staging");
            builder.UseSetting("Migrations:ApplyOnStartup", "true");
        }
    }

    private static X509Certificate2 Certificate(string subject, TimeSpan lifetime)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.Add(lifetime));
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
