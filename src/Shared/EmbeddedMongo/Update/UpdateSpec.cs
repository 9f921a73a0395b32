using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Update;

/// <summary>
/// A compiled update: a replacement document, an operator document (<c>$set</c>, <c>$inc</c>, ...) or an aggregation
/// pipeline. Compile once per update statement, then <see cref="Apply"/> per matched document.
/// </summary>
/// <remarks>
/// Upserts: the command layer builds the starting document with <see cref="UpsertSeedFor"/> (operator and pipeline
/// updates: the filter's equality fields, see <see cref="SeedFromFilter"/>; replacements: only the filter's <c>_id</c>),
/// calls <see cref="Apply"/> on it with <c>isUpsertInsert: true</c> (so <c>$setOnInsert</c> applies, and a replacement
/// keeps the seed's <c>_id</c> unless it has its own, which must then equal it), then adds a generated <c>_id</c> at the
/// front when the result has none.
/// </remarks>
internal sealed class UpdateSpec
{
    private enum Kind
    {
        Replacement,
        Operators,
        Pipeline,
    }

    private readonly Kind _kind;
    private readonly BsonDocument? _replacement;
    private readonly ObjectUpdateNode? _operators;
    private readonly PipelineUpdate? _pipeline;
    private readonly QueryContext _context;

    private UpdateSpec(Kind kind, QueryContext context, BsonDocument? replacement = null, ObjectUpdateNode? operators = null,
        PipelineUpdate? pipeline = null)
    {
        _kind = kind;
        _context = context;
        _replacement = replacement;
        _operators = operators;
        _pipeline = pipeline;
    }

    public bool IsReplacement => _kind == Kind.Replacement;

    public bool IsPipeline => _kind == Kind.Pipeline;

    /// <summary>
    /// Parses and validates an update document, a replacement or an aggregation pipeline (array). Throws
    /// <see cref="MongoError"/> with MongoDB's code for an invalid update. Pipeline stages see the context's collation
    /// and <c>let</c> variables.
    /// </summary>
    public static UpdateSpec Compile(BsonValue update, BsonArray? arrayFilters, QueryContext context)
    {
        switch (update)
        {
            case BsonArray stages:
                if (arrayFilters is { Count: > 0 })
                    throw MongoError.FailedToParse("arrayFilters may not be specified for pipeline-style updates");
                return new UpdateSpec(Kind.Pipeline, context, pipeline: PipelineUpdate.Compile(stages, context));
            case BsonDocument doc when doc.ElementCount == 0 || !doc.GetElement(0).Name.StartsWith('$'):
                ArrayFilterSet.Parse(arrayFilters, context);
                foreach (var element in doc)
                {
                    if (element.Name.StartsWith('$'))
                        throw MongoError.DollarPrefixedFieldName(
                            $"The dollar ($) prefixed field '{element.Name}' in '{element.Name}' is not allowed in the context of " +
                            "an update's replacement document. Consider using an aggregation pipeline with $replaceWith.");
                }
                return new UpdateSpec(Kind.Replacement, context, replacement: doc);
            case BsonDocument doc:
                var filters = ArrayFilterSet.Parse(arrayFilters, context);
                return new UpdateSpec(Kind.Operators, context, operators: OperatorUpdateParser.Parse(doc, filters, context));
            default:
                throw MongoError.FailedToParse("Update argument must be either an object or an array");
        }
    }

    /// <summary>
    /// Applies the update to a copy of <paramref name="original"/> (never mutating it) and returns the new document.
    /// <paramref name="changed"/> is false when the result is byte-for-byte the original (so <c>$set</c> of int 1 over
    /// double 1.0 is a change). <paramref name="positionalIndex"/> is the array index the filter matched, for <c>$</c>.
    /// Throws <see cref="MongoError"/> for an update that cannot apply (ImmutableField when <c>_id</c> would change,
    /// TypeMismatch, PathNotViable...); the original stays untouched.
    /// Operator updates copy only the containers on the paths they touch: the result shares every unchanged embedded
    /// document and array with <paramref name="original"/>, so neither may be mutated in place afterwards.
    /// </summary>
    public BsonDocument Apply(BsonDocument original, int? positionalIndex, bool isUpsertInsert, out bool changed)
    {
        original = Storage.Documents.Materialize(original);
        var result = _kind switch
        {
            Kind.Replacement => Replace(original, WithCurrentTimestamps(_replacement!)),
            Kind.Pipeline => Replace(original, _pipeline!.Run(original)),
            _ => ApplyOperators(original, positionalIndex, isUpsertInsert),
        };
        ValidateId(original, result);
        if (isUpsertInsert) MoveIdFirst(result);
        changed = !BsonExact.Equal(original, result);
        return result;
    }

    /// <summary>The document an upsert of this update starts from (see the class remarks).</summary>
    public BsonDocument UpsertSeedFor(BsonDocument filter) => UpsertSeed.FromFilter(filter, idOnly: IsReplacement);

    /// <summary>
    /// The document an operator or pipeline upsert starts from: the filter's equality fields (<c>field: value</c>,
    /// <c>field: {$eq: value}</c>, also inside a top-level <c>$and</c>), dotted paths expanded into embedded documents,
    /// <c>_id</c> kept and first; other conditions ($gt, $in of several values, $or...) are ignored.
    /// </summary>
    public static BsonDocument SeedFromFilter(BsonDocument filter) => UpsertSeed.FromFilter(filter);

    private BsonDocument ApplyOperators(BsonDocument original, int? positionalIndex, bool isUpsertInsert)
    {
        var copy = (BsonDocument)original.Clone();
        var matched = positionalIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var state = new UpdateApplyState(copy, matched, isUpsertInsert, _context);
        _operators!.Apply(UpdateLocation.Root(copy), state);

        if (original.TryGetValue("_id", out var before) && !(copy.TryGetValue("_id", out var after) && BsonExact.Equal(before, after)))
            throw MongoError.ImmutableField("Performing an update on the path '_id' would modify the immutable field '_id'");
        foreach (var element in copy)
        {
            if (element.Name.StartsWith('$') && !original.Contains(element.Name))
                throw MongoError.DollarPrefixedFieldName(
                    $"The dollar ($) prefixed field '{element.Name}' in '{element.Name}' is not valid for storage.");
        }
        return copy;
    }

    /// <summary>Replacement semantics (also for pipelines): the new content, keeping the original _id when it has none.</summary>
    private static BsonDocument Replace(BsonDocument original, BsonDocument replacement)
    {
        var result = ReferenceEquals(replacement, original) ? (BsonDocument)original.Clone() : replacement;
        if (!replacement.Contains("_id") && original.TryGetValue("_id", out var id))
        {
            result = new BsonDocument("_id", id.DeepClone());
            foreach (var element in replacement) result.Add(element);
        }
        if (original.TryGetValue("_id", out var before) && result.TryGetValue("_id", out var after) && BsonOrder.Compare(before, after) != 0)
            throw MongoError.ImmutableField(
                $"After applying the update, the (immutable) field '_id' was found to have been altered to _id: {UpdatePaths.Show(after)}");
        return result;
    }

    /// <summary>A copy of the replacement in which top-level Timestamp(0, 0) values (other than _id) become the current time.</summary>
    private BsonDocument WithCurrentTimestamps(BsonDocument replacement)
    {
        var copy = replacement.DeepClone().AsBsonDocument;
        for (var i = 0; i < copy.ElementCount; i++)
        {
            var element = copy.GetElement(i);
            if (element.Name != "_id" && element.Value is BsonTimestamp { Value: 0 })
                copy[i] = Modifiers.CurrentDateNode.NextTimestamp(_context.Now);
        }
        return copy;
    }

    private static void ValidateId(BsonDocument original, BsonDocument result)
    {
        if (!result.TryGetValue("_id", out var id)) return;
        if (original.TryGetValue("_id", out var before) && BsonExact.Equal(before, id)) return;
        if (id.BsonType is BsonType.Array or BsonType.RegularExpression or BsonType.Undefined)
            throw new MongoError(53, "InvalidIdField", $"The '_id' value cannot be of type {UpdatePaths.TypeName(id)}");
        if (id is BsonDocument idDocument && HasDollarField(idDocument))
            throw MongoError.DollarPrefixedFieldName("_id fields may not contain '$'-prefixed fields");
    }

    private static bool HasDollarField(BsonDocument document) =>
        document.Any(e => e.Name.StartsWith('$') || (e.Value is BsonDocument d && HasDollarField(d)));

    private static void MoveIdFirst(BsonDocument document)
    {
        var index = document.IndexOfName("_id");
        if (index <= 0) return;
        var id = document[index];
        document.RemoveAt(index);
        document.InsertAt(0, new BsonElement("_id", id));
    }
}
