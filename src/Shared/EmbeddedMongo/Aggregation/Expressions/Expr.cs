using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>A compiled expression; <c>null</c> is MongoDB's "missing" (distinct from BSON null).</summary>
internal delegate BsonValue? Expr(Scope scope);

/// <summary>What a compiled expression runs against: $$ROOT, $$CURRENT, bound variables and the command's context.</summary>
internal sealed class Scope
{
    private readonly string? _name;
    private readonly BsonValue? _value;
    private readonly Scope? _parent;

    public Scope(BsonDocument root, QueryContext context)
    {
        Root = root;
        Current = root;
        Context = context;
    }

    /// <summary>A scope whose $$CURRENT is not the root ($redact descending into sub-documents).</summary>
    public Scope(BsonDocument root, BsonDocument current, QueryContext context)
    {
        Root = root;
        Current = current;
        Context = context;
    }

    private Scope(Scope parent, string name, BsonValue? value)
    {
        Root = parent.Root;
        Current = parent.Current;
        Context = parent.Context;
        _parent = parent;
        _name = name;
        _value = value;
    }

    public BsonDocument Root { get; }

    public BsonValue Current { get; }

    public QueryContext Context { get; }

    public Scope With(string name, BsonValue? value) => new(this, name, value);

    public BsonValue? Variable(string name)
    {
        for (var s = this; s is not null; s = s._parent)
        {
            if (s._name == name) return s._value;
        }
        return name switch
        {
            "ROOT" => Root,
            "CURRENT" => Current,
            "NOW" => new BsonDateTime(Context.Now),
            "CLUSTER_TIME" => new BsonTimestamp((int)new DateTimeOffset(Context.Now).ToUnixTimeSeconds(), 1),
            "REMOVE" => null,
            "DESCEND" => "descend",
            "PRUNE" => "prune",
            "KEEP" => "keep",
            _ => Context.Variables.TryGetValue(name, out var v)
                ? v
                : throw MongoError.Location(17276, $"Use of undefined variable: {name}"),
        };
    }
}

/// <summary>Compile-time view of which variables are in scope, so undefined ones fail at parse time as in MongoDB.</summary>
internal sealed class ParseScope
{
    private static readonly HashSet<string> BuiltIns =
        ["ROOT", "CURRENT", "NOW", "CLUSTER_TIME", "REMOVE", "DESCEND", "PRUNE", "KEEP"];

    private readonly string[] _names;
    private readonly ParseScope? _parent;

    public ParseScope(QueryContext context, params string[] names)
    {
        Context = context;
        _names = names;
    }

    private ParseScope(ParseScope parent, string[] names)
    {
        Context = parent.Context;
        _parent = parent;
        _names = names;
    }

    public QueryContext Context { get; }

    public ParseScope With(params string[] names) => new(this, names);

    public bool IsDefined(string name)
    {
        for (var s = this; s is not null; s = s._parent)
        {
            if (Array.IndexOf(s._names, name) >= 0) return true;
        }
        return BuiltIns.Contains(name) || Context.Variables.Contains(name);
    }
}
