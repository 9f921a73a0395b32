using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>$bucket: MongoDB's own desugaring, a $group on a $switch over the boundaries, then $sort by _id.</summary>
internal sealed class BucketStage(GroupStage group, SortStage sort) : Stage
{
    public static BucketStage Parse(BsonValue spec, ParseScope scope)
    {
        if (spec is not BsonDocument d) throw MongoError.Location(40201, $"Argument to $bucket stage must be an object, but found type: {Values.TypeName(spec)}.");
        BsonValue? groupBy = null, fallback = null;
        BsonArray? boundaries = null;
        BsonDocument? output = null;
        foreach (var e in d)
        {
            switch (e.Name)
            {
                case "groupBy":
                    if (!(e.Value is BsonString { Value: ['$', ..] } || ExpressionCompiler.IsOperatorObject(e.Value)))
                        throw MongoError.Location(40202, "The $bucket 'groupBy' field must be defined as a $-prefixed path or an expression");
                    groupBy = e.Value;
                    break;
                case "boundaries":
                    boundaries = e.Value as BsonArray ?? throw MongoError.Location(40200, $"The $bucket 'boundaries' field must be an array, but found type: {Values.TypeName(e.Value)}.");
                    break;
                case "default":
                    fallback = e.Value;
                    break;
                case "output":
                    output = e.Value as BsonDocument ?? throw MongoError.Location(40196, $"The $bucket 'output' field must be an object, but found type: {Values.TypeName(e.Value)}.");
                    break;
                default:
                    throw MongoError.Location(40197, $"Unrecognized option to $bucket: {e.Name}.");
            }
        }
        if (groupBy is null || boundaries is null)
            throw MongoError.Location(40198, "$bucket requires 'groupBy' and 'boundaries' to be specified.");
        if (boundaries.Count < 2) throw MongoError.Location(40192, $"The $bucket 'boundaries' field must have at least 2 values, but found {boundaries.Count} value(s).");
        for (var i = 1; i < boundaries.Count; i++)
        {
            if (Values.CanonicalType(boundaries[i]) != Values.CanonicalType(boundaries[0]))
                throw MongoError.Location(40193, "All values in the the 'boundaries' option to $bucket must have the same type.");
            if (Values.Compare(boundaries[i - 1], boundaries[i], null) >= 0)
                throw MongoError.Location(40194, "The 'boundaries' option to $bucket must be sorted in ascending order");
        }
        if (fallback is not null && Values.Compare(fallback, boundaries[0], null) >= 0 && Values.Compare(fallback, boundaries[^1], null) < 0)
        {
            throw MongoError.Location(40199,
                "The $bucket 'default' field must be less than the lowest boundary or greater than or equal to the highest boundary.");
        }
        var branches = new BsonArray();
        for (var i = 0; i + 1 < boundaries.Count; i++)
        {
            var inRange = new BsonDocument("$and", new BsonArray
            {
                new BsonDocument("$gte", new BsonArray { groupBy, new BsonDocument("$literal", boundaries[i]) }),
                new BsonDocument("$lt", new BsonArray { groupBy, new BsonDocument("$literal", boundaries[i + 1]) }),
            });
            branches.Add(new BsonDocument { { "case", inRange }, { "then", new BsonDocument("$literal", boundaries[i]) } });
        }
        var @switch = new BsonDocument("branches", branches);
        if (fallback is not null) @switch["default"] = new BsonDocument("$literal", fallback);
        var groupSpec = new BsonDocument("_id", new BsonDocument("$switch", @switch));
        groupSpec.AddRange(output ?? new BsonDocument("count", new BsonDocument("$sum", 1)));
        return new BucketStage(GroupStage.Parse(groupSpec, scope), SortStage.Parse(new BsonDocument("_id", 1), scope.Context));
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input) => sort.Apply(group.Apply(input));
}

/// <summary>$bucketAuto: sorts by the groupBy value and cuts into buckets of about equal size, equal values kept together.</summary>
internal sealed class BucketAutoStage(Expr groupBy, int buckets, (string Field, string Op, Expr Argument)[] outputs, QueryContext context) : Stage
{
    public static BucketAutoStage Parse(BsonValue spec, ParseScope scope)
    {
        if (spec is not BsonDocument d) throw MongoError.Location(40240, $"The argument to $bucketAuto must be an object, but found type: {Values.TypeName(spec)}.");
        Expr? groupBy = null;
        int? buckets = null;
        var outputs = new List<(string, string, Expr)>();
        foreach (var e in d)
        {
            switch (e.Name)
            {
                case "groupBy":
                    if (!(e.Value is BsonString { Value: ['$', ..] } || ExpressionCompiler.IsOperatorObject(e.Value)))
                        throw MongoError.Location(40239, "The $bucketAuto 'groupBy' field must be defined as a $-prefixed path or an expression object");
                    groupBy = ExpressionCompiler.Compile(e.Value, scope);
                    break;
                case "buckets":
                    if (!Values.IsNumber(e.Value) || !Values.TryGetInt(e.Value, out var n))
                        throw MongoError.Location(40241, $"The $bucketAuto 'buckets' field must be a numeric value, but found type: {Values.TypeName(e.Value)}");
                    if (n <= 0) throw MongoError.Location(40243, $"The $bucketAuto 'buckets' field must be greater than 0, but found: {n}");
                    buckets = n;
                    break;
                case "output":
                    if (e.Value is not BsonDocument o) throw MongoError.Location(40244, $"The $bucketAuto 'output' field must be an object, but found type: {Values.TypeName(e.Value)}");
                    outputs.AddRange(GroupStage.ParseAccumulators(o, scope));
                    break;
                case "granularity":
                    throw MongoError.BadValue("$bucketAuto 'granularity' is not supported by the embedded server");
                default:
                    throw MongoError.Location(40245, $"Unrecognized option to $bucketAuto: {e.Name}.");
            }
        }
        if (groupBy is null || buckets is null) throw MongoError.Location(40246, "$bucketAuto requires 'groupBy' and 'buckets' to be specified");
        if (outputs.Count == 0) outputs.Add(("count", "$sum", _ => 1));
        return new BucketAutoStage(groupBy, buckets.Value, [.. outputs], scope.Context);
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        var keyed = input.Select(doc => (Key: groupBy(new Scope(doc, context)) ?? BsonNull.Value, Doc: doc)).ToList();
        if (keyed.Count == 0) yield break;
        var comparer = Comparer<BsonValue>.Create((a, b) => Values.Compare(a, b, context.Collation));
        keyed = [.. keyed.OrderBy(k => k.Key, comparer)];
        var size = (int)Math.Round((double)keyed.Count / buckets, MidpointRounding.AwayFromZero);
        size = Math.Max(1, size);
        var ranges = new List<(int Start, int End)>();
        var start = 0;
        while (start < keyed.Count)
        {
            var end = Math.Min(start + size, keyed.Count);
            if (ranges.Count == buckets - 1) end = keyed.Count;
            while (end < keyed.Count && Values.Compare(keyed[end].Key, keyed[end - 1].Key, context.Collation) == 0) end++;
            ranges.Add((start, end));
            start = end;
        }
        for (var r = 0; r < ranges.Count; r++)
        {
            var (from, to) = ranges[r];
            var accs = outputs.Select(o => Accumulators.Create(o.Op, context.Collation)!).ToArray();
            for (var i = from; i < to; i++)
            {
                var scope = new Scope(keyed[i].Doc, context);
                for (var a = 0; a < accs.Length; a++) accs[a].Add(outputs[a].Argument(scope));
            }
            var max = r + 1 < ranges.Count ? keyed[ranges[r + 1].Start].Key : keyed[to - 1].Key;
            var result = new BsonDocument("_id", new BsonDocument { { "min", keyed[from].Key }, { "max", max } });
            for (var a = 0; a < accs.Length; a++) result[outputs[a].Field] = accs[a].Result() ?? BsonNull.Value;
            yield return result;
        }
    }
}

/// <summary>$redact: $$DESCEND keeps the level and recurses into sub-documents, $$PRUNE drops it, $$KEEP keeps it whole.</summary>
internal sealed class RedactStage(Expr expression, QueryContext context) : Stage
{
    public static RedactStage Parse(BsonValue spec, ParseScope scope) => new(ExpressionCompiler.Compile(spec, scope), scope.Context);

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        foreach (var document in input)
        {
            if (Redact(document, document) is { } kept) yield return kept;
        }
    }

    private BsonDocument? Redact(BsonDocument root, BsonDocument current)
    {
        var decision = expression(new Scope(root, current, context));
        switch (decision is BsonString s ? s.Value : null)
        {
            case "prune":
                return null;
            case "keep":
                return current;
            case "descend":
                var result = new BsonDocument();
                foreach (var e in current)
                {
                    switch (e.Value)
                    {
                        case BsonDocument sub:
                            if (Redact(root, sub) is { } keptSub) result.Add(e.Name, keptSub);
                            break;
                        case BsonArray array:
                            result.Add(e.Name, RedactArray(root, array));
                            break;
                        default:
                            result.Add(e);
                            break;
                    }
                }
                return result;
            default:
                throw MongoError.Location(17053,
                    $"$redact's expression should not return anything aside from the variables $$KEEP, $$DESCEND, and $$PRUNE, but returned {Values.Describe(decision)}");
        }
    }

    private BsonArray RedactArray(BsonDocument root, BsonArray array)
    {
        var result = new BsonArray();
        foreach (var item in array)
        {
            switch (item)
            {
                case BsonDocument sub:
                    if (Redact(root, sub) is { } kept) result.Add(kept);
                    break;
                case BsonArray inner:
                    result.Add(RedactArray(root, inner));
                    break;
                default:
                    result.Add(item);
                    break;
            }
        }
        return result;
    }
}
