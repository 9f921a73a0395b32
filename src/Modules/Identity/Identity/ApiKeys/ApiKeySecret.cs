using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Monolith.Modules.Identity.ApiKeys;

/// <summary>
/// The key format <c>mk_&lt;prefix&gt;_&lt;secret&gt;</c>: a 16-hex-digit public prefix (64 random bits, the lookup id)
/// and 32 random bytes in base64url (256 bits). Only SHA-256 of the whole key is stored; see docs/adr/0016-api-keys.md.
/// </summary>
internal static class ApiKeySecret
{
    public const string Marker = "mk";
    private const int PrefixBytes = 8;
    private const int SecretBytes = 32;
    private static readonly int SecretChars = Base64Url.GetEncodedLength(SecretBytes);

    public static (string Key, string Prefix) Generate()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixBytes));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        return ($"{Marker}_{prefix}_{secret}", prefix);
    }

    /// <summary>The prefix of a well-formed key, else null (nothing about a malformed key is looked up or logged).</summary>
    public static string? PrefixOf(string key)
    {
        // mk_ + 16 hex + _ + 43 base64url characters
        if (key.Length != Marker.Length + 1 + (PrefixBytes * 2) + 1 + SecretChars ||
            !key.StartsWith(Marker + "_", StringComparison.Ordinal) ||
            key[Marker.Length + 1 + (PrefixBytes * 2)] != '_')
        {
            return null;
        }

        var prefix = key.Substring(Marker.Length + 1, PrefixBytes * 2);
        var secret = key.AsSpan(Marker.Length + 1 + (PrefixBytes * 2) + 1);
        foreach (var c in prefix)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return null;
            }
        }

        foreach (var c in secret)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return null;
            }
        }

        return prefix;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Constant-time comparison of the presented key's hash with the stored one.</summary>
    public static bool Matches(string key, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(key), storedHash);
}
