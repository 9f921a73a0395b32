using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;

namespace Monolith.Modules.Identity.OpenId.Stores;

/// <summary>An OAuth client as stored in <c>identity.applications</c>.</summary>
internal sealed class OidcApplication : IOidcDocument
{
    [BsonRepresentation(BsonType.ObjectId)]
    public string Id { get; set; } = ObjectId.GenerateNewId().ToString();

    public string? ClientId { get; set; }

    /// <summary>Already hashed by OpenIddict's application manager; never the plain secret.</summary>
    public string? ClientSecret { get; set; }

    public string? ClientType { get; set; }

    public string? ApplicationType { get; set; }

    public string? ConsentType { get; set; }

    public string? DisplayName { get; set; }

    public Dictionary<string, string> DisplayNames { get; set; } = [];

    public List<string> Permissions { get; set; } = [];

    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];

    public List<string> Requirements { get; set; } = [];

    public Dictionary<string, string> Settings { get; set; } = [];

    /// <summary>OpenIddict's extra properties as a JSON object, or null.</summary>
    public string? Properties { get; set; }

    /// <summary>Optimistic concurrency: every update filters on it and replaces it.</summary>
    public string ConcurrencyToken { get; set; } = Guid.NewGuid().ToString("N");
}

/// <summary>A user's (or a client's) consent to a client and scopes, in <c>identity.authorizations</c>.</summary>
internal sealed class OidcAuthorization : IOidcEntry
{
    [BsonRepresentation(BsonType.ObjectId)]
    public string Id { get; set; } = ObjectId.GenerateNewId().ToString();

    public string? ApplicationId { get; set; }

    public DateTimeOffset? CreationDate { get; set; }

    public string? Properties { get; set; }

    public List<string> Scopes { get; set; } = [];

    public string? Status { get; set; }

    public string? Subject { get; set; }

    public string? Type { get; set; }

    public string ConcurrencyToken { get; set; } = Guid.NewGuid().ToString("N");

    public OidcAuthorization Copy()
    {
        var copy = (OidcAuthorization)MemberwiseClone();
        copy.Scopes = [.. Scopes];
        return copy;
    }
}

/// <summary>A scope clients may request, in <c>identity.scopes</c>.</summary>
internal sealed class OidcScope : IOidcDocument
{
    [BsonRepresentation(BsonType.ObjectId)]
    public string Id { get; set; } = ObjectId.GenerateNewId().ToString();

    public string? Name { get; set; }

    public string? Description { get; set; }

    public Dictionary<string, string> Descriptions { get; set; } = [];

    public string? DisplayName { get; set; }

    public Dictionary<string, string> DisplayNames { get; set; } = [];

    public List<string> Resources { get; set; } = [];

    public string? Properties { get; set; }

    public string ConcurrencyToken { get; set; } = Guid.NewGuid().ToString("N");
}

/// <summary>A token's server-side entry (status, redemption, reference payload), in <c>identity.tokens</c>.</summary>
internal sealed class OidcToken : IOidcEntry
{
    [BsonRepresentation(BsonType.ObjectId)]
    public string Id { get; set; } = ObjectId.GenerateNewId().ToString();

    public string? ApplicationId { get; set; }

    public string? AuthorizationId { get; set; }

    public DateTimeOffset? CreationDate { get; set; }

    public DateTimeOffset? ExpirationDate { get; set; }

    public DateTimeOffset? RedemptionDate { get; set; }

    /// <summary>Only for reference tokens; absent otherwise, so the unique index on it is partial.</summary>
    [BsonIgnoreIfNull]
    public string? ReferenceId { get; set; }

    public string? Payload { get; set; }

    public string? Properties { get; set; }

    public string? Status { get; set; }

    public string? Subject { get; set; }

    public string? Type { get; set; }

    public string ConcurrencyToken { get; set; } = Guid.NewGuid().ToString("N");

    public OidcToken Copy() => (OidcToken)MemberwiseClone();
}

/// <summary>Every OpenIddict document: an id and the concurrency token each update checks and replaces.</summary>
internal interface IOidcDocument
{
    string Id { get; }

    string ConcurrencyToken { get; set; }
}

/// <summary>What authorizations and tokens share: the fields the stores filter and revoke on.</summary>
internal interface IOidcEntry : IOidcDocument
{
    string? ApplicationId { get; }

    string? Status { get; }

    string? Subject { get; }

    string? Type { get; }
}
