using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Auth;

/// <summary>A role granted on a database, as <c>{ role, db }</c>.</summary>
internal sealed record RoleGrant(string Role, string Db)
{
    public BsonDocument ToBson() => new() { { "role", Role }, { "db", Db } };
}

/// <summary>One document of <c>admin.system.users</c>, in mongod's layout (<c>_id: "db.user"</c>).</summary>
internal sealed record StoredUser(string User, string Db, Guid UserId, ScramCredential? Credential, IReadOnlyList<RoleGrant> Roles, BsonDocument? CustomData)
{
    public string Id => IdOf(Db, User);

    public static string IdOf(string db, string user) => db + "." + user;

    public BsonDocument ToBson()
    {
        var document = new BsonDocument
        {
            { "_id", Id },
            { "userId", new BsonBinaryData(UserId, GuidRepresentation.Standard) },
            { "user", User },
            { "db", Db },
            { "credentials", Credential is null ? new BsonDocument() : new BsonDocument(ScramCredential.Mechanism, Credential.ToBson()) },
            { "roles", new BsonArray(Roles.Select(r => r.ToBson())) },
        };
        if (CustomData is not null) document["customData"] = CustomData;
        return document;
    }

    public static StoredUser FromBson(BsonDocument document)
    {
        var credentials = document.GetValue("credentials", new BsonDocument()).AsBsonDocument;
        return new StoredUser(
            document["user"].AsString,
            document["db"].AsString,
            document.TryGetValue("userId", out var id) && id is BsonBinaryData binary ? binary.ToGuid(GuidRepresentation.Standard) : Guid.Empty,
            credentials.TryGetValue(ScramCredential.Mechanism, out var scram) ? ScramCredential.FromBson(scram.AsBsonDocument) : null,
            document["roles"].AsBsonArray.Select(r => new RoleGrant(r["role"].AsString, r["db"].AsString)).ToList(),
            document.TryGetValue("customData", out var custom) ? custom.AsBsonDocument : null);
    }
}
