namespace Monolith.EmbeddedMongo.Storage;

internal static class Names
{
    public static void ValidateDatabase(string database)
    {
        if (string.IsNullOrEmpty(database) || database.Length > 63 || database.IndexOfAny(['/', '\\', '.', ' ', '"', '$', '\0']) >= 0)
            throw MongoError.InvalidNamespace($"Invalid database name: '{database}'");
    }

    public static void ValidateCollection(string database, string collection)
    {
        ValidateDatabase(database);
        if (string.IsNullOrEmpty(collection) || collection.Contains('\0') || collection.StartsWith('.') || collection.Contains('$'))
            throw MongoError.InvalidNamespace($"Invalid collection name: '{collection}'");
        if (collection.StartsWith("system.", StringComparison.Ordinal) && collection is not ("system.js" or "system.views" or "system.profile") && (database, collection) is not ("admin", "system.users"))
            throw MongoError.InvalidNamespace($"Invalid system namespace: {database}.{collection}");
    }
}
