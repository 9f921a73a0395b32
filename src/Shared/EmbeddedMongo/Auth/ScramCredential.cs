using System.Security.Cryptography;
using System.Text;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Auth;

/// <summary>What mongod stores for a SCRAM-SHA-256 user: never the password, only keys derived from it.</summary>
internal sealed record ScramCredential(int IterationCount, byte[] Salt, byte[] StoredKey, byte[] ServerKey)
{
    public const string Mechanism = "SCRAM-SHA-256";
    public const int DefaultIterationCount = 15000;
    private const int SaltLength = 28;

    public static ScramCredential Derive(string password, int iterationCount = DefaultIterationCount)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(SaslPrep.Prepare(password)), salt, iterationCount, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        return new ScramCredential(iterationCount, salt, SHA256.HashData(clientKey), HMACSHA256.HashData(salted, "Server Key"u8));
    }

    public BsonDocument ToBson() => new()
    {
        { "iterationCount", IterationCount },
        { "salt", Convert.ToBase64String(Salt) },
        { "storedKey", Convert.ToBase64String(StoredKey) },
        { "serverKey", Convert.ToBase64String(ServerKey) },
    };

    public static ScramCredential FromBson(BsonDocument document) => new(
        document["iterationCount"].ToInt32(),
        Convert.FromBase64String(document["salt"].AsString),
        Convert.FromBase64String(document["storedKey"].AsString),
        Convert.FromBase64String(document["serverKey"].AsString));
}
