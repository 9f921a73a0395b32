using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>Turns an aggregation expression into a delegate once; operators are looked up in <see cref="Operators"/>.</summary>
internal static class ExpressionCompiler
{
    public static Expr Compile(BsonValue expression, ParseScope scope)
    {
        switch (expression)
        {
            case BsonString s when s.Value.StartsWith('$'):
                return CompilePath(s.Value, scope);
            case BsonDocument d:
                return CompileObject(d, scope);
            case BsonArray a:
                return CompileArray(a, scope);
            default:
                var constant = expression;
                return _ => constant;
        }
    }

    public static bool IsOperatorObject(BsonValue value) =>
        value is BsonDocument { ElementCount: > 0 } d && d.GetElement(0).Name.StartsWith('$');

    private static Expr CompileArray(BsonArray array, ParseScope scope)
    {
        var items = array.Select(v => Compile(v, scope)).ToArray();
        return s =>
        {
            var result = new BsonArray(items.Length);
            foreach (var item in items) result.Add(item(s) ?? BsonNull.Value);
            return result;
        };
    }

    private static Expr CompileObject(BsonDocument document, ParseScope scope)
    {
        if (document.ElementCount == 0) return _ => new BsonDocument();
        var first = document.GetElement(0);
        if (first.Name.StartsWith('$'))
        {
            if (document.ElementCount != 1)
            {
                throw MongoError.Location(15983, $"An object representing an expression must have exactly one field: {document.ToJson()}");
            }
            if (!Operators.Table.TryGetValue(first.Name, out var build))
                throw new MongoError(168, "InvalidPipelineOperator", $"Unrecognized expression '{first.Name}'");
            return build(first.Value, scope);
        }

        var fields = new List<(string Name, Expr Value)>(document.ElementCount);
        foreach (var element in document)
        {
            ValidateFieldName(element.Name);
            fields.Add((element.Name, Compile(element.Value, scope)));
        }
        return s =>
        {
            var result = new BsonDocument();
            foreach (var (name, value) in fields)
            {
                if (value(s) is { } v) result[name] = v;
            }
            return result;
        };
    }

    public static void ValidateFieldName(string name)
    {
        if (name.Length == 0) throw MongoError.Location(16411, "FieldPath field names may not be empty strings.");
        if (name.StartsWith('$'))
        {
            throw MongoError.Location(16410,
                $"FieldPath field names may not start with '$'. Consider using $getField or $setField. Field name: '{name}'");
        }
        if (name.Contains('.')) throw MongoError.Location(16412, $"FieldPath field names may not contain '.'. Field name: '{name}'");
    }

    private static Expr CompilePath(string text, ParseScope scope)
    {
        if (text == "$") throw MongoError.Location(16872, "'$' by itself is not a valid FieldPath");
        if (text.StartsWith("$$"))
        {
            var dot = text.IndexOf('.');
            var name = dot < 0 ? text[2..] : text[2..dot];
            if (name.Length == 0) throw MongoError.Location(16869, "empty variable name");
            if (!scope.IsDefined(name)) throw MongoError.Location(17276, $"Use of undefined variable: {name}");
            var rest = dot < 0 ? [] : SplitPath(text[(dot + 1)..]);
            if (rest.Length == 0) return s => s.Variable(name);
            return s => FieldPaths.Traverse(s.Variable(name), rest);
        }
        var parts = SplitPath(text[1..]);
        if (parts.Length == 1)
        {
            var field = parts[0];
            return s => s.Current is BsonDocument d && d.TryGetValue(field, out var v) ? v : null;
        }
        return s => FieldPaths.Traverse(s.Current, parts);
    }

    public static string[] SplitPath(string path)
    {
        var parts = path.Split('.');
        foreach (var part in parts)
        {
            if (part.Length == 0) throw MongoError.Location(15998, "FieldPath field names may not be empty strings.");
            if (part.StartsWith('$'))
            {
                throw MongoError.Location(16410,
                    $"FieldPath field names may not start with '$'. Consider using $getField or $setField. Field path: '{path}'");
            }
        }
        return parts;
    }
}

/// <summary>Field path evaluation as in aggregation: arrays along the path yield arrays of the values found.</summary>
internal static class FieldPaths
{
    public static BsonValue? Traverse(BsonValue? value, string[] parts) => value switch
    {
        BsonDocument d => FromDocument(d, parts, 0),
        BsonArray a => FromArray(a, parts, 0),
        _ => null,
    };

    private static BsonValue? FromDocument(BsonDocument document, string[] parts, int index)
    {
        if (!document.TryGetValue(parts[index], out var field)) return null;
        if (index == parts.Length - 1) return field;
        return field switch
        {
            BsonDocument d => FromDocument(d, parts, index + 1),
            BsonArray a => FromArray(a, parts, index + 1),
            _ => null,
        };
    }

    private static BsonArray FromArray(BsonArray array, string[] parts, int index)
    {
        var result = new BsonArray();
        foreach (var element in array)
        {
            if (element is BsonDocument d)
            {
                if (FromDocument(d, parts, index) is { } v) result.Add(v);
            }
            else if (element is BsonArray inner)
            {
                result.Add(FromArray(inner, parts, index));
            }
        }
        return result;
    }
}
