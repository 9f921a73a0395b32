using System.Diagnostics;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Commands;

/// <summary>Handshake, diagnostics and database-level commands.</summary>
internal static class AdminCommands
{
    public const string Version = "7.0.14";
    public const int MaxWireVersion = 21;

    public static void Register(Dictionary<string, Func<CommandContext, BsonDocument>> handlers)
    {
        handlers["ping"] = _ => [];
        handlers["hello"] = Hello;
        handlers["isMaster"] = Hello;
        handlers["ismaster"] = Hello;
        handlers["buildInfo"] = BuildInfo;
        handlers["buildinfo"] = BuildInfo;
        handlers["serverStatus"] = ServerStatus;
        handlers["listDatabases"] = ListDatabases;
        handlers["dropDatabase"] = DropDatabase;
        handlers["whatsmyuri"] = c => new BsonDocument("you", c.Connection.Remote);
        handlers["connectionStatus"] = _ => new BsonDocument("authInfo", new BsonDocument { { "authenticatedUsers", new BsonArray() }, { "authenticatedUserRoles", new BsonArray() } });
        handlers["getParameter"] = GetParameter;
        handlers["getCmdLineOpts"] = c => new BsonDocument { { "argv", new BsonArray() }, { "parsed", new BsonDocument() } };
        handlers["hostInfo"] = HostInfo;
        handlers["getLog"] = c => new BsonDocument { { "totalLinesWritten", 0 }, { "log", new BsonArray() } };
        handlers["listCommands"] = ListCommands;
        handlers["dbStats"] = DbStats;
        handlers["replSetGetStatus"] = ReplSetGetStatus;
        handlers["getFreeMonitoringStatus"] = _ => new BsonDocument("state", "disabled");
        handlers["logout"] = _ => [];
    }

    private static BsonDocument Hello(CommandContext c)
    {
        var server = c.Server;
        var reply = new BsonDocument
        {
            { "helloOk", true },
            { "isWritablePrimary", true },
            { "ismaster", true },
            { "topologyVersion", new BsonDocument { { "processId", server.ProcessId }, { "counter", 0L } } },
            { "maxBsonObjectSize", Wire.WireLimits.MaxBsonObjectSize },
            { "maxMessageSizeBytes", Wire.WireLimits.MaxMessageSizeBytes },
            { "maxWriteBatchSize", Wire.WireLimits.MaxWriteBatchSize },
            { "localTime", DateTime.UtcNow },
            { "logicalSessionTimeoutMinutes", (int)server.Sessions.Timeout.TotalMinutes },
            { "connectionId", c.Connection.Id },
            { "minWireVersion", 0 },
            { "maxWireVersion", MaxWireVersion },
            { "readOnly", false },
        };
        if (server.Options.ReplicaSetName is { } rs)
        {
            var me = server.HostAndPort;
            reply.InsertAt(0, new BsonElement("setName", rs));
            reply["hosts"] = new BsonArray { me };
            reply["setVersion"] = 1;
            reply["primary"] = me;
            reply["me"] = me;
            reply["secondary"] = false;
            reply["electionId"] = new ObjectId("7fffffff0000000000000001");
            var now = server.CurrentClusterTime;
            reply["lastWrite"] = new BsonDocument
            {
                { "opTime", new BsonDocument { { "ts", now }, { "t", 1L } } },
                { "lastWriteDate", DateTime.UtcNow },
                { "majorityOpTime", new BsonDocument { { "ts", now }, { "t", 1L } } },
                { "majorityWriteDate", DateTime.UtcNow },
            };
        }
        if (c.Command.TryGetValue("saslSupportedMechs", out _)) reply["saslSupportedMechs"] = new BsonArray();
        return reply;
    }

    private static BsonDocument BuildInfo(CommandContext c) => new()
    {
        { "version", Version },
        { "gitVersion", "monolith-embedded" },
        { "versionArray", new BsonArray { 7, 0, 14, 0 } },
        { "bits", 64 },
        { "debug", false },
        { "maxBsonObjectSize", Wire.WireLimits.MaxBsonObjectSize },
        { "storageEngines", new BsonArray { "embedded" } },
        { "javascriptEngine", "none" },
        { "modules", new BsonArray() },
        { "openssl", new BsonDocument("running", "disabled") },
        { "buildEnvironment", new BsonDocument() },
        { "allocator", "system" },
    };

    private static BsonDocument ServerStatus(CommandContext c)
    {
        var process = Process.GetCurrentProcess();
        var storage = c.Server.Storage;
        return new BsonDocument
        {
            { "host", Environment.MachineName },
            { "version", Version },
            { "process", "monolith-embedded-mongo" },
            { "pid", (long)Environment.ProcessId },
            { "uptime", (DateTime.UtcNow - c.Server.StartedAt).TotalSeconds },
            { "uptimeMillis", (long)(DateTime.UtcNow - c.Server.StartedAt).TotalMilliseconds },
            { "localTime", DateTime.UtcNow },
            { "connections", new BsonDocument { { "current", 0 }, { "available", 100_000 } } },
            { "mem", new BsonDocument { { "bits", 64 }, { "resident", process.WorkingSet64 / (1024 * 1024) }, { "virtual", process.VirtualMemorySize64 / (1024 * 1024) } } },
            { "metrics", new BsonDocument("cursor", new BsonDocument("open", new BsonDocument("total", c.Server.Cursors.OpenCount))) },
            { "storageEngine", new BsonDocument { { "name", "embedded" }, { "persistent", c.Server.Options.DataPath is not null } } },
            { "collections", storage.DatabaseNames.Sum(d => storage.Collections(d).Count()) },
        };
    }

    private static BsonDocument ListDatabases(CommandContext c)
    {
        var storage = c.Server.Storage;
        var nameOnly = c.OptionalBool("nameOnly", false);
        var filter = c.OptionalDocument("filter");
        var matcher = filter is null ? null : Query.Filter.Compile(filter, Query.QueryContext.Default);
        var databases = new BsonArray();
        long total = 0;
        foreach (var name in storage.DatabaseNames)
        {
            var size = storage.Collections(name).Sum(col => col.DataSize);
            var entry = nameOnly
                ? new BsonDocument("name", name)
                : new BsonDocument { { "name", name }, { "sizeOnDisk", size }, { "empty", size == 0 } };
            if (matcher is not null && !matcher.Matches(entry)) continue;
            total += size;
            databases.Add(entry);
        }
        var reply = new BsonDocument("databases", databases);
        if (!nameOnly) reply["totalSize"] = total;
        return reply;
    }

    private static BsonDocument DropDatabase(CommandContext c)
    {
        c.Server.Storage.DropDatabase(c.Database);
        return new BsonDocument("dropped", c.Database);
    }

    private static BsonDocument GetParameter(CommandContext c)
    {
        var reply = new BsonDocument();
        if (c.Command.Contains("featureCompatibilityVersion") || c.Argument is BsonString { Value: "*" })
            reply["featureCompatibilityVersion"] = new BsonDocument("version", "7.0");
        return reply;
    }

    private static BsonDocument HostInfo(CommandContext c) => new()
    {
        { "system", new BsonDocument { { "currentTime", DateTime.UtcNow }, { "hostname", Environment.MachineName }, { "numCores", Environment.ProcessorCount } } },
        { "os", new BsonDocument { { "type", Environment.OSVersion.Platform.ToString() }, { "name", Environment.OSVersion.VersionString } } },
        { "extra", new BsonDocument() },
    };

    private static BsonDocument ListCommands(CommandContext c)
    {
        var commands = new BsonDocument();
        foreach (var name in new[] { "ping", "hello", "find", "insert", "update", "delete", "aggregate", "count", "distinct", "findAndModify", "getMore", "killCursors", "createIndexes", "listIndexes", "dropIndexes", "listCollections", "listDatabases", "create", "drop", "dropDatabase", "renameCollection", "buildInfo", "serverStatus", "explain", "endSessions" })
            commands[name] = new BsonDocument("help", "");
        return new BsonDocument("commands", commands);
    }

    private static BsonDocument DbStats(CommandContext c)
    {
        var collections = c.Server.Storage.Collections(c.Database).ToList();
        var dataSize = collections.Sum(x => x.DataSize);
        var objects = collections.Sum(x => (long)x.Count);
        return new BsonDocument
        {
            { "db", c.Database },
            { "collections", collections.Count },
            { "views", 0 },
            { "objects", objects },
            { "avgObjSize", objects == 0 ? 0.0 : (double)dataSize / objects },
            { "dataSize", (double)dataSize },
            { "storageSize", (double)dataSize },
            { "indexes", collections.Sum(x => x.Indexes.Count) },
            { "indexSize", 0.0 },
        };
    }

    private static BsonDocument ReplSetGetStatus(CommandContext c)
    {
        if (c.Server.Options.ReplicaSetName is not { } rs)
            throw new MongoError(76, "NoReplicationEnabled", "not running with --replSet");
        return new BsonDocument
        {
            { "set", rs },
            { "date", DateTime.UtcNow },
            { "myState", 1 },
            {
                "members", new BsonArray
                {
                    new BsonDocument { { "_id", 0 }, { "name", c.Server.HostAndPort }, { "health", 1.0 }, { "state", 1 }, { "stateStr", "PRIMARY" }, { "self", true } },
                }
            },
        };
    }
}
