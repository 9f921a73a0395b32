using MongoDB.Bson;
using Monolith.EmbeddedMongo.Storage;

namespace Monolith.EmbeddedMongo.Commands;

/// <summary>Collection and index management.</summary>
internal static class CollectionCommands
{
    public static void Register(Dictionary<string, Func<CommandContext, BsonDocument>> handlers)
    {
        handlers["listCollections"] = ListCollections;
        handlers["create"] = Create;
        handlers["drop"] = Drop;
        handlers["renameCollection"] = RenameCollection;
        handlers["createIndexes"] = CreateIndexes;
        handlers["listIndexes"] = ListIndexes;
        handlers["dropIndexes"] = DropIndexes;
        handlers["deleteIndexes"] = DropIndexes;
        handlers["collStats"] = CollStats;
        handlers["collMod"] = _ => [];
    }

    private static BsonDocument ListCollections(CommandContext c)
    {
        var filter = c.OptionalDocument("filter");
        var matcher = filter is null ? null : Query.Filter.Compile(filter, Query.QueryContext.Default);
        var nameOnly = c.OptionalBool("nameOnly", false);
        var results = new List<BsonDocument>();
        foreach (var collection in c.Server.Storage.Collections(c.Database))
        {
            var full = new BsonDocument
            {
                { "name", collection.Name },
                { "type", "collection" },
                { "options", collection.Options },
                { "info", new BsonDocument { { "readOnly", false }, { "uuid", new BsonBinaryData(collection.Uuid, GuidRepresentation.Standard) } } },
                { "idIndex", collection.IdIndex.Definition.Spec },
            };
            if (matcher is not null && !matcher.Matches(full)) continue;
            results.Add(nameOnly ? new BsonDocument { { "name", collection.Name }, { "type", "collection" } } : full);
        }
        var batchSize = c.OptionalDocument("cursor")?.GetValue("batchSize", BsonNull.Value);
        return new BsonDocument("cursor", c.Server.Cursors.FirstBatch($"{c.Database}.$cmd.listCollections", results,
            batchSize is { IsNumeric: true } ? batchSize.ToInt32() : null, false));
    }

    private static BsonDocument Create(CommandContext c)
    {
        var options = new BsonDocument(c.Command.Where(e => e.Name is not ("create" or "$db" or "lsid" or "$clusterTime" or "writeConcern" or "txnNumber" or "autocommit" or "$readPreference" or "comment" or "apiVersion" or "apiStrict" or "apiDeprecationErrors")));
        if (options.Contains("viewOn")) throw new MongoError(115, "CommandNotSupported", "views are not supported by the embedded server");
        c.Server.Storage.Create(c.Database, c.CollectionName, options, failIfExists: true);
        return [];
    }

    private static BsonDocument Drop(CommandContext c)
    {
        var name = c.CollectionName;
        var before = c.Server.Storage.Find(c.Database, name)?.Indexes.Count ?? 0;
        if (!c.Server.Storage.Drop(c.Database, name)) throw MongoError.NamespaceNotFound("ns not found");
        return new BsonDocument { { "nIndexesWas", before }, { "ns", $"{c.Database}.{name}" } };
    }

    private static BsonDocument RenameCollection(CommandContext c)
    {
        if (c.Database != "admin") throw MongoError.Unauthorized("renameCollection may only be run against the admin database.");
        var (fromDb, from) = SplitNamespace(c.Argument.AsString);
        var to = c.Command.GetValue("to", BsonNull.Value);
        if (!to.IsString) throw MongoError.TypeMismatch("'to' must be a string");
        var (toDb, toName) = SplitNamespace(to.AsString);
        if (fromDb == toDb && from == toName) throw new MongoError(20, "IllegalOperation", "Can't rename a collection to itself");
        c.Server.Storage.Rename(fromDb, from, toDb, toName, c.OptionalBool("dropTarget", false));
        return [];
    }

    private static (string Db, string Collection) SplitNamespace(string ns)
    {
        var dot = ns.IndexOf('.');
        if (dot <= 0 || dot == ns.Length - 1) throw MongoError.InvalidNamespace($"Invalid namespace specified '{ns}'");
        return (ns[..dot], ns[(dot + 1)..]);
    }

    private static BsonDocument CreateIndexes(CommandContext c)
    {
        var specs = c.OptionalArray("indexes") ?? throw MongoError.FailedToParse("BSON field 'createIndexes.indexes' is missing but a required field");
        if (specs.Count == 0) throw MongoError.BadValue("Must specify at least one index to create");
        var definitions = specs.Select(s => s is BsonDocument d ? IndexDefinition.Parse(d) : throw MongoError.TypeMismatch("index spec must be a document")).ToList();
        var existed = c.Server.Storage.Find(c.Database, c.CollectionName) is not null;
        var collection = c.Server.Storage.GetOrCreate(c.Database, c.CollectionName);
        collection.Lock.EnterWriteLock();
        try
        {
            var before = collection.Indexes.Count;
            var added = 0;
            foreach (var definition in definitions)
            {
                var sameName = collection.Indexes.FirstOrDefault(i => i.Definition.Name == definition.Name);
                var sameKey = collection.Indexes.FirstOrDefault(i => i.Definition.KeyPattern.Equals(definition.KeyPattern) && Equals(i.Definition.CollationSpec, definition.CollationSpec));
                if (sameName is not null)
                {
                    if (sameName.Definition.SameAs(definition)) continue;
                    throw sameName.Definition.KeyPattern.Equals(definition.KeyPattern)
                        ? MongoError.IndexOptionsConflict($"An existing index has the same name as the requested index but different options. Requested index: {definition.Spec.ToJson()}, existing index: {sameName.Definition.Spec.ToJson()}")
                        : MongoError.IndexKeySpecsConflict($"An existing index has the same name as the requested index but different key pattern. Requested index: {definition.Spec.ToJson()}, existing index: {sameName.Definition.Spec.ToJson()}");
                }
                if (sameKey is not null)
                {
                    if (sameKey.Definition.SameAs(definition)) continue;
                    throw MongoError.IndexOptionsConflict($"An equivalent index already exists with a different name and options. Requested index: {definition.Spec.ToJson()}, existing index: {sameKey.Definition.Spec.ToJson()}");
                }
                collection.AddIndex(definition);
                added++;
            }
            var reply = new BsonDocument
            {
                { "numIndexesBefore", before },
                { "numIndexesAfter", collection.Indexes.Count },
                { "createdCollectionAutomatically", !existed },
            };
            if (added == 0) reply["note"] = "all indexes already exist";
            return reply;
        }
        finally
        {
            collection.Lock.ExitWriteLock();
        }
    }

    private static BsonDocument ListIndexes(CommandContext c)
    {
        var collection = c.Server.Storage.Find(c.Database, c.CollectionName)
            ?? throw MongoError.NamespaceNotFound($"ns does not exist: {c.Database}.{c.CollectionName}");
        List<BsonDocument> specs;
        collection.Lock.EnterReadLock();
        try { specs = collection.Indexes.Select(i => i.Definition.Spec).ToList(); }
        finally { collection.Lock.ExitReadLock(); }
        var batchSize = c.OptionalDocument("cursor")?.GetValue("batchSize", BsonNull.Value);
        return new BsonDocument("cursor", c.Server.Cursors.FirstBatch($"{c.Database}.{c.CollectionName}", specs,
            batchSize is { IsNumeric: true } ? batchSize.ToInt32() : null, false));
    }

    private static BsonDocument DropIndexes(CommandContext c)
    {
        var collection = c.Server.Storage.Find(c.Database, c.CollectionName)
            ?? throw MongoError.NamespaceNotFound($"ns not found {c.Database}.{c.CollectionName}");
        var index = c.Command.GetValue("index", BsonNull.Value);
        collection.Lock.EnterWriteLock();
        try
        {
            var before = collection.Indexes.Count;
            switch (index)
            {
                case BsonString { Value: "*" }:
                    collection.DropAllIndexesButId();
                    break;
                case BsonString name:
                    DropOne(collection, name.Value);
                    break;
                case BsonArray names:
                    foreach (var n in names) DropOne(collection, n.AsString);
                    break;
                case BsonDocument keyPattern:
                    var match = collection.Indexes.FirstOrDefault(i => i.Definition.KeyPattern.Equals(keyPattern))
                        ?? throw MongoError.IndexNotFound($"can't find index with key: {keyPattern.ToJson()}");
                    DropOne(collection, match.Definition.Name);
                    break;
                default:
                    throw MongoError.TypeMismatch("'index' must be a string, array or document");
            }
            return new BsonDocument("nIndexesWas", before);
        }
        finally
        {
            collection.Lock.ExitWriteLock();
        }
    }

    private static void DropOne(CollectionStore collection, string name)
    {
        if (name == "_id_") throw new MongoError(72, "InvalidOptions", "cannot drop _id index");
        if (!collection.DropIndex(name)) throw MongoError.IndexNotFound($"index not found with name [{name}]");
    }

    private static BsonDocument CollStats(CommandContext c)
    {
        var collection = c.Server.Storage.Find(c.Database, c.CollectionName)
            ?? throw MongoError.NamespaceNotFound($"Collection [{c.Database}.{c.CollectionName}] not found.");
        return new BsonDocument
        {
            { "ns", collection.Namespace },
            { "count", collection.Count },
            { "size", collection.DataSize },
            { "avgObjSize", collection.Count == 0 ? 0 : collection.DataSize / collection.Count },
            { "storageSize", collection.DataSize },
            { "nindexes", collection.Indexes.Count },
            { "capped", collection.Options.GetValue("capped", false).ToBoolean() },
        };
    }
}
