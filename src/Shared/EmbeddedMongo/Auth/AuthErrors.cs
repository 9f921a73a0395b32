using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Auth;

/// <summary>The errors mongod answers for authentication and authorization, with its exact messages.</summary>
internal static class AuthErrors
{
    public static MongoError AuthenticationFailed() => new(18, "AuthenticationFailed", "Authentication failed.");

    public static MongoError RequiresAuthentication(string command) => MongoError.Unauthorized($"Command {command} requires authentication");

    public static MongoError NotAuthorized(string database, BsonDocument command) =>
        MongoError.Unauthorized($"not authorized on {database} to execute command {command.ToJson()}");

    public static MongoError MechanismUnavailable(string mechanism) =>
        new(334, "MechanismUnavailable", $"Received authentication for mechanism {mechanism} which is unknown or not enabled");

    public static MongoError UserNotFound(string user, string database) => new(11, "UserNotFound", $"Could not find user \"{user}\" for db \"{database}\"");

    public static MongoError DuplicateUser(string user, string database) => new(51003, "Location51003", $"User \"{user}@{database}\" already exists");

    public static MongoError RoleNotFound(string role, string database) => new(31, "RoleNotFound", $"Could not find role: {role}@{database}");
}
