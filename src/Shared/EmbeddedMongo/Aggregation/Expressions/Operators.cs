using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>The expression operator table; each family registers its operators from its own file.</summary>
internal static partial class Operators
{
    public static readonly Dictionary<string, Func<BsonValue, ParseScope, Expr>> Table = Build();

    private static Dictionary<string, Func<BsonValue, ParseScope, Expr>> Build()
    {
        var table = new Dictionary<string, Func<BsonValue, ParseScope, Expr>>(StringComparer.Ordinal);
        RegisterArithmetic(table);
        RegisterLogic(table);
        RegisterStrings(table);
        RegisterArrays(table);
        RegisterSets(table);
        RegisterObjects(table);
        RegisterDates(table);
        RegisterConversions(table);
        RegisterAccumulatorExpressions(table);
        return table;
    }

    private static BsonValue[] Operands(BsonValue operand) => operand is BsonArray a ? [.. a] : [operand];

    private static Expr[] Args(string name, BsonValue operand, ParseScope scope, int min, int max = int.MaxValue)
    {
        var operands = Operands(operand);
        var n = operands.Length;
        if (n < min || n > max)
        {
            if (min == max)
                throw MongoError.Location(16020, $"Expression {name} takes exactly {min} arguments. {n} were passed in.");
            if (max == int.MaxValue)
                throw MongoError.Location(16020, $"Expression {name} takes at least {min} arguments. {n} were passed in.");
            throw MongoError.Location(28667,
                $"Expression {name} takes at least {min} arguments, and at most {max}, but {n} were passed in.");
        }
        return [.. operands.Select(o => ExpressionCompiler.Compile(o, scope))];
    }

    private static Expr One(string name, BsonValue operand, ParseScope scope) => Args(name, operand, scope, 1, 1)[0];

    /// <summary>Named arguments of the object form (e.g. $filter's input/as/cond), rejecting unknown ones.</summary>
    private static BsonDocument Named(string name, BsonValue operand, int code, params string[] allowed)
    {
        if (operand is not BsonDocument d)
            throw MongoError.Location(code, $"{name} only supports an object as its argument");
        foreach (var e in d)
        {
            if (Array.IndexOf(allowed, e.Name) < 0)
                throw MongoError.Location(code, $"{name} found an unknown argument: {e.Name}");
        }
        return d;
    }

    private static Expr? Optional(BsonDocument args, string field, ParseScope scope) =>
        args.TryGetValue(field, out var v) ? ExpressionCompiler.Compile(v, scope) : null;

    private static Expr Required(BsonDocument args, string field, ParseScope scope, string op, int code) =>
        args.TryGetValue(field, out var v)
            ? ExpressionCompiler.Compile(v, scope)
            : throw MongoError.Location(code, $"{op} requires '{field}' to be specified");

    private static string VariableName(BsonValue value, string op)
    {
        if (value is not BsonString s || s.Value.Length == 0)
            throw MongoError.Location(16866, $"{op} requires a string variable name");
        var name = s.Value;
        if (!(char.IsLower(name[0]) || name[0] > 127) || name.Any(c => !(char.IsLetterOrDigit(c) || c == '_' || c > 127)))
            throw MongoError.Location(16867, $"'{name}' starts with an invalid character for a user variable name");
        return name;
    }
}
