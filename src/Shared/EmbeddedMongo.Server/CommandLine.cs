using Monolith.EmbeddedMongo;

namespace Monolith.EmbeddedMongo.Server;

/// <summary>Parses the subset of mongod's flags the embedded server understands.</summary>
internal static class CommandLine
{
    public const string Usage = """
        Usage: Monolith.EmbeddedMongo.Server [--port N] [--bind_ip ADDR] [--dbpath DIR] [--replSet NAME]
          --port      TCP port (default 27017)
          --bind_ip   address to listen on (default 127.0.0.1)
          --dbpath    data directory (absent: data is kept in memory only)
          --replSet   answer as the primary of a single-member replica set with this name
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
                    _ => throw new ArgumentException($"unknown option {name}"),
                };
            }
            catch (ArgumentException ex)
            {
                error = ex.Message;
                return false;
            }
        }
        return true;
    }

    private static (string Name, string? Value) Split(string arg)
    {
        var eq = arg.IndexOf('=');
        return eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }
}
