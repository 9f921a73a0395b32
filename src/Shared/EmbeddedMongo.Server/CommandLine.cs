using Monolith.EmbeddedMongo;

namespace Monolith.EmbeddedMongo.Server;

/// <summary>Parses the subset of mongod's flags the embedded server understands.</summary>
internal static class CommandLine
{
    public const string Usage = """
        Usage: Monolith.EmbeddedMongo.Server [--port N] [--bind_ip ADDR | --bind_ip_all] [--dbpath DIR] [--replSet NAME]
                                             [--auth] [--allow_unauthenticated_remote]
          --port      TCP port (default 27017)
          --bind_ip   address to listen on (default 127.0.0.1)
          --dbpath    data directory (absent: data is kept in memory only)
          --replSet   answer as the primary of a single-member replica set with this name
          --auth      require clients to authenticate (SCRAM-SHA-256 users made with createUser; with no user yet,
                      a loopback client may create the first one)
          --allow_unauthenticated_remote
                      allow listening on a non-loopback address without --auth (refused otherwise: anyone who can
                      reach the port could read and change every database)
        """;

    /// <summary>Parses args; options is null when help was asked for.</summary>
    public static bool TryParse(string[] args, out EmbeddedMongoOptions? options, out string? error)
    {
        options = new EmbeddedMongoOptions { Port = 27017 };
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            if (name is "--help" or "-h")
            {
                options = null;
                return true;
            }
            string Next()
            {
                if (inlineValue is not null) return inlineValue;
                if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value");
                return args[++i];
            }
            try
            {
                options = name switch
                {
                    "--port" => options with { Port = int.TryParse(Next(), out var p) && p is >= 0 and <= 65535 ? p : throw new ArgumentException("--port must be 0-65535") },
                    "--bind_ip" => options with { BindIp = Next().Split(',')[0] },
                    "--bind_ip_all" => options with { BindIp = "0.0.0.0" },
                    "--dbpath" => options with { DataPath = Next() },
                    "--replSet" => options with { ReplicaSetName = Next() },
                    "--auth" => options with { Auth = true },
                    "--noauth" => options with { Auth = false },
                    "--allow_unauthenticated_remote" => options with { AllowUnauthenticatedRemoteBind = true },
                    _ => throw new ArgumentException($"unknown option {name}"),
                };
            }
            catch (ArgumentException ex)
            {
                error = ex.Message;
                return false;
            }
        }
        error = RemoteBindWithoutAuth(options);
        return error is null;
    }

    private static string? RemoteBindWithoutAuth(EmbeddedMongoOptions options)
    {
        var loopback = options.BindIp == "localhost" || (System.Net.IPAddress.TryParse(options.BindIp, out var address) && System.Net.IPAddress.IsLoopback(address));
        return loopback || options.Auth || options.AllowUnauthenticatedRemoteBind
            ? null
            : $"Refusing to listen on {options.BindIp} without --auth: any host that can reach it could read and change all data. " +
              "Add --auth (and create a user), bind to 127.0.0.1, or pass --allow_unauthenticated_remote if the network is trusted.";
    }

    private static (string Name, string? Value) Split(string arg)
    {
        var eq = arg.IndexOf('=');
        return eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }
}
