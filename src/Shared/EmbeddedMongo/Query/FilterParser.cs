using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>Parses a query document into <see cref="MatchNode"/>s, rejecting what MongoDB rejects (BadValue).</summary>
internal static class FilterParser
{
    private const string TopLevelHint =
        ". If you have a field name that starts with a '$' symbol, consider using $getField or $setField.";

    private static readonly HashSet<string> PathlessOperators =
    [
        "$and", "$or", "$nor", "$where", "$expr", "$text", "$comment", "$alwaysFalse", "$alwaysTrue", "$jsonSchema",
        "$sampleRate", "$atomic", "$isolated",
    ];

    private static readonly HashSet<string> GeoOperators =
    [
        "$near", "$nearSphere", "$geoWithin", "$geoIntersects", "$within", "$maxDistance", "$minDistance",
        "$geometry", "$center", "$centerSphere", "$box", "$polygon",
    ];

    // MongoDB refuses query trees deeper than this; the limit also keeps recursion off the stack's edge.
    private const int MaxDepth = 100;

    [ThreadStatic]
    private static int _depth;

    public static MatchNode ParseDocument(BsonDocument filter, QueryContext context)
    {
        Enter();
        try
        {
            var nodes = new List<MatchNode>(filter.ElementCount);
            foreach (var element in filter)
            {
                var node = element.Name.StartsWith('$')
                    ? ParseTopLevelOperator(element, context)
                    : ParsePath(element.Name, element.Value, context);
                if (node is not null) nodes.Add(node);
            }
            return And(nodes);
        }
        finally
        {
            _depth--;
        }
    }

    private static void Enter()
    {
        if (_depth >= MaxDepth) throw MongoError.BadValue($"exceeded maximum query tree depth of {MaxDepth}");
        _depth++;
    }

    private static MatchNode And(List<MatchNode> nodes)
    {
        nodes.RemoveAll(n => n is ConstantNode { Result: true });
        if (nodes.Exists(n => n is ConstantNode { Result: false })) return ConstantNode.False;
        return nodes.Count switch
        {
            0 => ConstantNode.True,
            1 => nodes[0],
            _ => new AndNode(nodes.ToArray()),
        };
    }

    private static MatchNode? ParseTopLevelOperator(BsonElement element, QueryContext context)
    {
        switch (element.Name)
        {
            case "$and":
            case "$or":
            case "$nor":
            {
                if (element.Value is not BsonArray array) throw MongoError.BadValue($"{element.Name} must be an array");
                if (array.Count == 0) throw MongoError.BadValue("$and/$or/$nor must be a nonempty array");
                var children = new MatchNode[array.Count];
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is not BsonDocument d) throw MongoError.BadValue("$or/$and/$nor entries need to be full objects");
                    children[i] = ParseDocument(d, context);
                }
                if (element.Name == "$and") return And([.. children]);
                var or = children.Length == 1 ? children[0] : new OrNode(children);
                return element.Name == "$or" ? or : new NotNode(or);
            }
            case "$expr":
                return new ExprNode(element.Value, context);
            case "$comment":
                return null;
            case "$alwaysTrue":
                return ConstantNode.True;
            case "$alwaysFalse":
                return ConstantNode.False;
            case "$text":
                throw MongoError.IndexNotFound("text index required for $text query");
            case "$jsonSchema":
                return new JsonSchemaNode(JsonSchema.Parse(element.Value));
            case "$sampleRate":
                if (!BsonOrder.IsNumber(element.Value) || element.Value.ToDouble() is < 0 or > 1 or double.NaN)
                    throw MongoError.BadValue("numeric argument to $sampleRate must be in [0, 1]");
                return new SampleRateNode(element.Value.ToDouble());
            case "$where":
                throw MongoError.BadValue($"{element.Name} is not supported by this server");
            default:
                throw MongoError.BadValue($"unknown top level operator: {element.Name}{TopLevelHint}");
        }
    }

    public static MatchNode ParsePath(string path, BsonValue value, QueryContext context)
    {
        var parts = BsonPath.Split(path);
        if (value is BsonDocument d && IsOperatorDocument(d)) return BuildPath(parts, ParseOperators(d, context));
        return new PathNode(parts, ValueTest(value, context.Collation), expandLeafArrays: true);
    }

    /// <summary>Equality, or a pattern match when the value is a regular expression.</summary>
    private static IValueTest ValueTest(BsonValue value, Collation? collation) =>
        value is BsonRegularExpression r ? new RegexTest(r) : new EqualsTest(value, collation);

    /// <summary>{$gt: 1, ...} as opposed to a literal document; DBRefs ({$ref, $id}) are literals.</summary>
    public static bool IsOperatorDocument(BsonDocument d)
    {
        if (d.ElementCount == 0) return false;
        var first = d.GetElement(0).Name;
        return first.StartsWith('$') && first is not ("$ref" or "$id" or "$db");
    }

    private static MatchNode BuildPath(string[] parts, List<OpSpec> ops)
    {
        var nodes = new List<MatchNode>(ops.Count);
        foreach (var op in ops)
        {
            nodes.Add(op switch
            {
                LeafOp leaf when leaf.Negate => new NotNode(new PathNode(parts, leaf.Test, leaf.ExpandLeafArrays)),
                LeafOp leaf => new PathNode(parts, leaf.Test, leaf.ExpandLeafArrays),
                NotOp not => new NotNode(BuildPath(parts, not.Children)),
                _ => throw new InvalidOperationException(),
            });
        }
        return And(nodes);
    }

    /// <summary>The same operators applied to one value (inside $elemMatch, or to an array element for $pull).</summary>
    public static IValueTest BuildElementTest(List<OpSpec> ops)
    {
        var tests = new IValueTest[ops.Count];
        for (var i = 0; i < ops.Count; i++)
        {
            tests[i] = ops[i] switch
            {
                LeafOp leaf => leaf.Negate ? new NotTest(leaf.Test) : leaf.Test,
                NotOp not => new NotTest(BuildElementTest(not.Children)),
                _ => throw new InvalidOperationException(),
            };
        }
        return tests.Length == 1 ? tests[0] : new AllOfTest(tests);
    }

    public static List<OpSpec> ParseOperators(BsonDocument operators, QueryContext context)
    {
        Enter();
        try
        {
            return ParseOperatorList(operators, context);
        }
        finally
        {
            _depth--;
        }
    }

    private static List<OpSpec> ParseOperatorList(BsonDocument operators, QueryContext context)
    {
        var collation = context.Collation;
        var ops = new List<OpSpec>(operators.ElementCount);
        BsonValue? regex = null;
        string? regexOptions = null;
        foreach (var e in operators)
        {
            var v = e.Value;
            switch (e.Name)
            {
                case "$eq":
                    ops.Add(new LeafOp(new EqualsTest(v, collation)));
                    break;
                case "$ne":
                    if (v is BsonRegularExpression) throw MongoError.BadValue("Can't have regex as arg to $ne.");
                    ops.Add(new LeafOp(new EqualsTest(v, collation), Negate: true));
                    break;
                case "$lt":
                    ops.Add(new LeafOp(new ComparisonTest(ComparisonKind.LessThan, v, collation)));
                    break;
                case "$lte":
                    ops.Add(new LeafOp(new ComparisonTest(ComparisonKind.LessOrEqual, v, collation)));
                    break;
                case "$gt":
                    ops.Add(new LeafOp(new ComparisonTest(ComparisonKind.GreaterThan, v, collation)));
                    break;
                case "$gte":
                    ops.Add(new LeafOp(new ComparisonTest(ComparisonKind.GreaterOrEqual, v, collation)));
                    break;
                case "$in":
                case "$nin":
                    ops.Add(new LeafOp(ParseIn(e.Name, v, collation), Negate: e.Name == "$nin"));
                    break;
                case "$exists":
                    ops.Add(new LeafOp(ExistsTest.Instance, Negate: !IsTrue(v)));
                    break;
                case "$type":
                    ops.Add(new LeafOp(TypeAliases.Parse(v)));
                    break;
                case "$regex":
                    if (v is not (BsonString or BsonRegularExpression)) throw MongoError.BadValue("$regex has to be a string");
                    regex = v;
                    break;
                case "$options":
                    if (v is not BsonString options) throw MongoError.BadValue("$options has to be a string");
                    regexOptions = options.Value;
                    break;
                case "$mod":
                    ops.Add(new LeafOp(ParseMod(v)));
                    break;
                case "$size":
                    ops.Add(new LeafOp(ParseSize(v), ExpandLeafArrays: false));
                    break;
                case "$all":
                    ParseAll(v, context, ops);
                    break;
                case "$elemMatch":
                    ops.Add(new LeafOp(ParseElemMatch(v, context), ExpandLeafArrays: false));
                    break;
                case "$not":
                    ops.Add(ParseNot(v, context));
                    break;
                case "$bitsAllSet":
                case "$bitsAnySet":
                case "$bitsAllClear":
                case "$bitsAnyClear":
                    ops.Add(new LeafOp(BitTest.Parse(e.Name, v)));
                    break;
                default:
                    if (GeoOperators.Contains(e.Name)) throw MongoError.BadValue($"{e.Name} is not supported by this server");
                    throw MongoError.BadValue($"unknown operator: {e.Name}");
            }
        }
        if (regexOptions is not null && regex is null) throw MongoError.BadValue("$options needs a $regex");
        if (regex is not null) ops.Add(new LeafOp(new RegexTest(BuildRegex(regex, regexOptions))));
        return ops;
    }

    private static BsonRegularExpression BuildRegex(BsonValue regex, string? options)
    {
        if (regex is BsonRegularExpression r)
        {
            if (options is null) return r;
            if (r.Options.Length > 0) throw MongoError.BadValue("options set in both $regex and $options");
            return new BsonRegularExpression(r.Pattern, options);
        }
        return new BsonRegularExpression(regex.AsString, options ?? "");
    }

    private static InTest ParseIn(string name, BsonValue v, Collation? collation)
    {
        if (v is not BsonArray array) throw MongoError.BadValue($"{name} needs an array");
        foreach (var item in array)
        {
            if (item is BsonDocument d && IsOperatorDocument(d)) throw MongoError.BadValue($"cannot nest $ under {name}");
        }
        return new InTest(array, collation);
    }

    private static ModTest ParseMod(BsonValue v)
    {
        if (v is not BsonArray array) throw MongoError.BadValue("malformed mod, needs to be an array");
        if (array.Count < 2) throw MongoError.BadValue("malformed mod, not enough elements");
        if (array.Count > 2) throw MongoError.BadValue("malformed mod, too many elements");
        if (!BsonOrder.IsNumber(array[0])) throw MongoError.BadValue("malformed mod, divisor not a number");
        if (!BsonOrder.IsNumber(array[1])) throw MongoError.BadValue("malformed mod, remainder not a number");
        var divisor = ToLongTruncated(array[0], "divisor");
        var remainder = ToLongTruncated(array[1], "remainder");
        if (divisor == 0) throw MongoError.BadValue("divisor cannot be 0");
        return new ModTest(divisor, remainder);
    }

    private static long ToLongTruncated(BsonValue v, string what)
    {
        if (v.BsonType is BsonType.Int32 or BsonType.Int64) return v.ToInt64();
        var d = v.ToDouble();
        if (double.IsNaN(d) || double.IsInfinity(d) || d >= 9.2233720368547758E18 || d < -9.2233720368547758E18)
            throw MongoError.BadValue($"malformed mod, {what} value is invalid :: caused by :: Out of bounds coercing to integral value");
        return (long)Math.Truncate(d);
    }

    private static SizeTest ParseSize(BsonValue v)
    {
        if (!BsonOrder.IsNumber(v)) throw MongoError.BadValue("$size needs a number");
        var d = v.ToDouble();
        if (d != Math.Floor(d) || double.IsInfinity(d)) throw MongoError.BadValue("$size must be a whole number");
        if (d < 0) throw MongoError.BadValue("$size may not be negative");
        return new SizeTest(d > int.MaxValue ? int.MaxValue : (int)d);
    }

    private static void ParseAll(BsonValue v, QueryContext context, List<OpSpec> ops)
    {
        if (v is not BsonArray array) throw MongoError.BadValue("$all needs an array");
        if (array.Count == 0)
        {
            ops.Add(new LeafOp(new ConstantTest(false)));
            return;
        }
        var elemMatchForm = IsElemMatch(array[0]);
        foreach (var item in array)
        {
            if (IsElemMatch(item) != elemMatchForm) throw MongoError.BadValue("$all/$elemMatch has to be consistent");
            if (elemMatchForm)
            {
                ops.Add(new LeafOp(ParseElemMatch(((BsonDocument)item)[0], context), ExpandLeafArrays: false));
            }
            else
            {
                if (item is BsonDocument d && IsOperatorDocument(d)) throw MongoError.BadValue("no $ expressions in $all");
                ops.Add(new LeafOp(ValueTest(item, context.Collation)));
            }
        }
    }

    private static bool IsElemMatch(BsonValue v) =>
        v is BsonDocument { ElementCount: > 0 } d && d.GetElement(0).Name == "$elemMatch";

    private static IValueTest ParseElemMatch(BsonValue v, QueryContext context)
    {
        if (v is not BsonDocument d) throw MongoError.BadValue("$elemMatch needs an Object");
        if (IsOperatorDocument(d) && !PathlessOperators.Contains(d.GetElement(0).Name))
            return new ElemMatchValueTest(BuildElementTest(ParseOperators(d, context)));
        return new ElemMatchObjectTest(ParseDocument(d, context));
    }

    private static OpSpec ParseNot(BsonValue v, QueryContext context)
    {
        switch (v)
        {
            case BsonRegularExpression r:
                return new NotOp([new LeafOp(new RegexTest(r))]);
            case BsonDocument d:
                if (d.ElementCount == 0) throw MongoError.BadValue("$not cannot be empty");
                if (!IsOperatorDocument(d)) throw MongoError.BadValue($"unknown operator: {d.GetElement(0).Name}");
                return new NotOp(ParseOperators(d, context));
            default:
                throw MongoError.BadValue("$not needs a regex or a document");
        }
    }

    /// <summary>BSON truthiness as MongoDB's parser reads flags: false, null, undefined and zero are false.</summary>
    public static bool IsTrue(BsonValue v) => Aggregation.Values.IsTrue(v);
}

/// <summary>An operator of a field's operator document, before it is bound to a path or to array elements.</summary>
internal abstract record OpSpec;

/// <summary><paramref name="Negate"/> for $ne/$nin/$exists:false: negated over all values the path reaches.</summary>
internal sealed record LeafOp(IValueTest Test, bool Negate = false, bool ExpandLeafArrays = true) : OpSpec;

internal sealed record NotOp(List<OpSpec> Children) : OpSpec;
