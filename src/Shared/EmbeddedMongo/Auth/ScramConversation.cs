using System.Security.Cryptography;
using System.Text;

namespace Monolith.EmbeddedMongo.Auth;

/// <summary>
/// The server side of one SCRAM-SHA-256 exchange (RFC 5802 / RFC 7677) in MongoDB's flavour: client-first, then
/// client-final with the proof, then (unless the client asked to skip it) one empty round that ends it.
/// Any failure answers the same <see cref="AuthErrors.AuthenticationFailed"/>, so a client cannot tell an unknown
/// user from a wrong password.
/// </summary>
internal sealed class ScramConversation(UserStore users, string database, bool skipEmptyExchange)
{
    private enum Stage { ClientFirst, ClientFinal, Empty, Done }

    private Stage _stage = Stage.ClientFirst;
    private string _gs2Header = "";
    private string _clientFirstBare = "";
    private string _serverFirst = "";
    private string _nonce = "";
    private StoredUser? _user;

    /// <summary>The user, once the exchange has completed successfully.</summary>
    public StoredUser? AuthenticatedUser => _stage == Stage.Done ? _user : null;

    public bool IsDone => _stage == Stage.Done;

    public byte[] Step(byte[] payload)
    {
        try
        {
            return _stage switch
            {
                Stage.ClientFirst => ClientFirst(Encoding.UTF8.GetString(payload)),
                Stage.ClientFinal => ClientFinal(Encoding.UTF8.GetString(payload)),
                Stage.Empty => Finish(),
                _ => throw AuthErrors.AuthenticationFailed(),
            };
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or IndexOutOfRangeException or KeyNotFoundException)
        {
            throw AuthErrors.AuthenticationFailed();
        }
    }

    private byte[] ClientFirst(string message)
    {
        // gs2-header: "n,," (no channel binding) or "y,,"; an authzid ("a=") is not supported by mongod either.
        var second = message.IndexOf(',', message.IndexOf(',') + 1);
        _gs2Header = message[..(second + 1)];
        if (_gs2Header is not ("n,," or "y,,")) throw AuthErrors.AuthenticationFailed();
        _clientFirstBare = message[(second + 1)..];
        var attributes = Parse(_clientFirstBare);
        var name = attributes["n"].Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
        var clientNonce = attributes["r"];
        _user = users.Find(database, name);
        if (_user?.Credential is not { } credential || clientNonce.Length == 0) throw AuthErrors.AuthenticationFailed();
        _nonce = clientNonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(credential.Salt)},i={credential.IterationCount}";
        _stage = Stage.ClientFinal;
        return Encoding.UTF8.GetBytes(_serverFirst);
    }

    private byte[] ClientFinal(string message)
    {
        var proofAt = message.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0) throw AuthErrors.AuthenticationFailed();
        var withoutProof = message[..proofAt];
        var attributes = Parse(message);
        if (attributes["c"] != Convert.ToBase64String(Encoding.UTF8.GetBytes(_gs2Header)) || attributes["r"] != _nonce)
            throw AuthErrors.AuthenticationFailed();
        var proof = Convert.FromBase64String(attributes["p"]);
        var credential = _user!.Credential!;
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
        var clientSignature = HMACSHA256.HashData(credential.StoredKey, authMessage);
        if (proof.Length != clientSignature.Length) throw AuthErrors.AuthenticationFailed();
        var clientKey = new byte[proof.Length];
        for (var i = 0; i < proof.Length; i++) clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(clientKey), credential.StoredKey))
            throw AuthErrors.AuthenticationFailed();
        var serverSignature = HMACSHA256.HashData(credential.ServerKey, authMessage);
        _stage = skipEmptyExchange ? Stage.Done : Stage.Empty;
        return Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(serverSignature));
    }

    private byte[] Finish()
    {
        _stage = Stage.Done;
        return [];
    }

    private static Dictionary<string, string> Parse(string message)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in message.Split(','))
        {
            if (part.Length < 2 || part[1] != '=') throw AuthErrors.AuthenticationFailed();
            attributes[part[..1]] = part[2..];
        }
        return attributes;
    }
}
