using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

internal sealed class MatchStage(Filter filter) : Stage
{
    public static MatchStage Parse(BsonValue spec, QueryContext context) =>
        spec is BsonDocument d
            ? new MatchStage(Filter.Compile(d, context))
            : throw MongoError.Location(15959, "the match filter must be an expression in an object");

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input) =>
        filter.IsEmpty ? input : input.Where(d => filter.Matches(d));
}

/// <summary>$sort: stable, via the query layer's sort order; keeps only the first N when a $limit follows.</summary>
internal sealed class SortStage(SortSpec sort) : Stage
{
    /// <summary>How many documents the following $skip/$limit can use at most; null when unbounded.</summary>
    public long? Limit { get; set; }

    public static SortStage Parse(BsonValue spec, QueryContext context)
    {
        if (spec is not BsonDocument d) throw MongoError.Location(15973, "the $sort key specification must be an object");
        if (d.ElementCount == 0) throw MongoError.Location(15976, "$sort stage must have at least one sort key");
        foreach (var e in d)
        {
            var valid = e.Value switch
            {
                BsonDocument meta => meta.ElementCount == 1 && meta.GetElement(0).Name == "$meta",
                _ => Values.IsNumber(e.Value) && Values.ToDouble(e.Value) is 1 or -1,
            };
            if (!valid) throw MongoError.Location(15975, "$sort key ordering must be 1 (for ascending) or -1 (for descending)");
        }
        return new SortStage(SortSpec.Compile(d, context.Collation)!);
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input) =>
        sort.SortTop(input, d => d, Limit ?? long.MaxValue);
}

internal sealed class SkipStage(long count) : Stage
{
    public long Count => count;

    public static SkipStage Parse(BsonValue spec)
    {
        if (!Values.IsNumber(spec)) throw MongoError.Location(15972, $"Argument to $skip must be a number not a {Values.TypeName(spec)}");
        if (!Values.TryGetLong(spec, out var n)) throw MongoError.Location(15972, $"Argument to $skip must be an integer: {spec}");
        if (n < 0) throw MongoError.Location(15956, $"Argument to $skip cannot be negative");
        return new SkipStage(n);
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        long seen = 0;
        foreach (var d in input)
        {
            if (seen++ >= count) yield return d;
        }
    }
}

internal sealed class LimitStage(long count) : Stage
{
    public long Count => count;

    public static LimitStage Parse(BsonValue spec)
    {
        if (!Values.IsNumber(spec)) throw MongoError.Location(15957, "the limit must be specified as a number");
        if (!Values.TryGetLong(spec, out var n)) throw MongoError.Location(15957, "the limit must be specified as a number");
        if (n <= 0) throw MongoError.Location(15958, "the limit must be positive");
        return new LimitStage(n);
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        if (count <= 0) yield break;
        long taken = 0;
        foreach (var d in input)
        {
            yield return d;
            if (++taken >= count) yield break;
        }
    }
}

internal sealed class CountStage(string field) : Stage
{
    public static CountStage Parse(BsonValue spec)
    {
        if (spec is not BsonString { Value.Length: > 0 } s) throw MongoError.Location(40156, "the count field must be a non-empty string");
        if (s.Value.StartsWith('$')) throw MongoError.Location(40158, "the count field cannot be a $-prefixed path");
        if (s.Value.Contains('.')) throw MongoError.Location(40160, "the count field cannot contain '.'");
        return new CountStage(s.Value);
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        long n = input.LongCount();
        if (n > 0) yield return new BsonDocument(field, n <= int.MaxValue ? new BsonInt32((int)n) : new BsonInt64(n));
    }
}

internal sealed class SampleStage(long size) : Stage
{
    public static SampleStage Parse(BsonValue spec)
    {
        if (spec is not BsonDocument d) throw MongoError.Location(28745, "the $sample stage specification must be an object");
        foreach (var e in d)
        {
            if (e.Name != "size") throw MongoError.Location(28748, $"unrecognized option to $sample: {e.Name}");
        }
        if (!d.TryGetValue("size", out var size)) throw MongoError.Location(28749, "$sample stage must specify a size");
        if (!Values.IsNumber(size) || !Values.TryGetLong(size, out var n)) throw MongoError.Location(28746, "size argument to $sample must be a number");
        if (n < 0) throw MongoError.Location(28747, "size argument to $sample must not be negative");
        return new SampleStage(n);
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        var all = input.ToList();
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
        return all.Take((int)Math.Min(size, int.MaxValue));
    }
}

/// <summary>$replaceRoot {newRoot} and $replaceWith.</summary>
internal sealed class ReplaceRootStage(Expr newRoot, QueryContext context) : DocumentStage
{
    public static ReplaceRootStage Parse(string name, BsonValue spec, ParseScope scope)
    {
        if (name == "$replaceWith") return new ReplaceRootStage(ExpressionCompiler.Compile(spec, scope), scope.Context);
        if (spec is not BsonDocument d) throw MongoError.Location(40229, $"expected an object as specification for $replaceRoot stage, got {Values.TypeName(spec)}");
        foreach (var e in d)
        {
            if (e.Name != "newRoot") throw MongoError.Location(40230, $"unrecognized option to $replaceRoot stage: {e.Name}, only valid option is 'newRoot'.");
        }
        if (!d.TryGetValue("newRoot", out var root)) throw MongoError.Location(40231, "no newRoot specified for the $replaceRoot stage");
        return new ReplaceRootStage(ExpressionCompiler.Compile(root, scope), scope.Context);
    }

    public override BsonDocument Transform(BsonDocument document)
    {
        var value = newRoot(new Scope(document, context));
        return value as BsonDocument ?? throw MongoError.Location(40228,
            $"'newRoot' expression must evaluate to an object, but resulting value was: {(value is null ? "MISSING" : value.ToJson())}. " +
            $"Type of resulting value: '{Values.TypeName(value)}'. Input document: {document.ToJson()}");
    }
}

/// <summary>$documents: literal documents as the pipeline's input (used with a database-level aggregate).</summary>
internal sealed class DocumentsStage(Expr documents, QueryContext context) : Stage
{
    public static DocumentsStage Parse(BsonValue spec, ParseScope scope) => new(ExpressionCompiler.Compile(spec, scope), scope.Context);

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        var value = documents(new Scope([], context));
        if (value is not BsonArray array)
            throw MongoError.Location(5858203, "error during lookup of $documents: an array is expected");
        foreach (var item in array)
        {
            yield return item as BsonDocument
                ?? throw MongoError.Location(40228, $"'newRoot' expression must evaluate to an object, but resulting value was: {item.ToJson()}");
        }
    }
}
