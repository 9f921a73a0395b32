using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>
/// $setWindowFields: per partition (sorted by partitionBy, then sortBy) computes window functions over document or
/// range windows: the $group accumulators plus $rank, $denseRank, $documentNumber, $shift and $locf.
/// </summary>
internal sealed class SetWindowFieldsStage : Stage
{
    private sealed record Output(string[] Path, string Op, Expr? Argument, BsonDocument? Arguments, Bound Lower, Bound Upper, bool IsRange, string? Unit);

    /// <summary>A window bound: unbounded, the current document, or an offset (documents or sort-key range).</summary>
    private readonly record struct Bound(bool Unbounded, BsonValue Offset);

    private readonly Expr? _partitionBy;
    private readonly SortSpec? _sort;
    private readonly string[]? _sortPath;
    private readonly Output[] _outputs;
    private readonly QueryContext _context;

    private SetWindowFieldsStage(Expr? partitionBy, SortSpec? sort, string[]? sortPath, Output[] outputs, QueryContext context)
    {
        _partitionBy = partitionBy;
        _sort = sort;
        _sortPath = sortPath;
        _outputs = outputs;
        _context = context;
    }

    public static SetWindowFieldsStage Parse(BsonValue spec, ParseScope scope)
    {
        if (spec is not BsonDocument d) throw MongoError.TypeMismatch("$setWindowFields must be an object");
        Expr? partitionBy = null;
        BsonDocument? sortBy = null;
        BsonDocument? output = null;
        foreach (var e in d)
        {
            switch (e.Name)
            {
                case "partitionBy":
                    partitionBy = ExpressionCompiler.Compile(e.Value, scope);
                    break;
                case "sortBy":
                    sortBy = e.Value as BsonDocument ?? throw MongoError.TypeMismatch("BSON field '$setWindowFields.sortBy' is the wrong type, expected type 'object'");
                    break;
                case "output":
                    output = e.Value as BsonDocument ?? throw MongoError.TypeMismatch("BSON field '$setWindowFields.output' is the wrong type, expected type 'object'");
                    break;
                default:
                    throw new MongoError(40415, "Location40415", $"BSON field '$setWindowFields.{e.Name}' is an unknown field.");
            }
        }
        if (output is null) throw new MongoError(40414, "Location40414", "BSON field '$setWindowFields.output' is missing but a required field");
        var outputs = output.Select(o => ParseOutput(o, sortBy, scope)).ToArray();
        if (sortBy is not null) SortStage.Parse(sortBy, scope.Context); // validates the sort keys as $sort does
        return new SetWindowFieldsStage(partitionBy, sortBy is null ? null : SortSpec.Compile(sortBy, scope.Context.Collation),
            sortBy is { ElementCount: 1 } ? DocumentPaths.Split(sortBy.GetElement(0).Name) : null, outputs, scope.Context);
    }

    private static Output ParseOutput(BsonElement field, BsonDocument? sortBy, ParseScope scope)
    {
        if (field.Value is not BsonDocument spec) throw MongoError.FailedToParse($"Expected an object for the window function of '{field.Name}'");
        string? op = null;
        BsonValue? argument = null;
        BsonDocument? window = null;
        foreach (var e in spec)
        {
            if (e.Name == "window") window = e.Value as BsonDocument ?? throw MongoError.FailedToParse("'window' field must be an object");
            else if (op is null && e.Name.StartsWith('$')) (op, argument) = (e.Name, e.Value);
            else throw MongoError.FailedToParse($"Window function found an unknown argument: {e.Name}");
        }
        if (op is null) throw MongoError.FailedToParse("Expected a window function, e.g. $sum, for the output field " + field.Name);
        var known = op is "$rank" or "$denseRank" or "$documentNumber" or "$shift" or "$locf" || Accumulators.Create(op, null) is not null;
        if (!known) throw MongoError.FailedToParse($"Unrecognized window function, {op}");
        if (op is "$rank" or "$denseRank" or "$documentNumber")
        {
            if (sortBy is not { ElementCount: 1 }) throw MongoError.Location(5371602, $"{op} must be specified with a top level sortBy expression with exactly one element");
            if (window is not null) throw MongoError.Location(5371601, $"{op} does not accept a 'window' field");
        }
        if (op == "$shift" && sortBy is null) throw MongoError.BadValue("'$shift' requires a sortBy");
        Expr? compiled = null;
        BsonDocument? arguments = null;
        if (op == "$shift")
        {
            arguments = argument as BsonDocument ?? throw MongoError.FailedToParse("Argument to $shift must be an object");
            compiled = ExpressionCompiler.Compile(arguments.GetValue("output", BsonNull.Value), scope);
        }
        else if (op is not ("$rank" or "$denseRank" or "$documentNumber"))
        {
            compiled = op == "$count" ? _ => 1 : ExpressionCompiler.Compile(argument!, scope);
        }
        var lower = new Bound(true, BsonNull.Value);
        var upper = new Bound(true, BsonNull.Value);
        var isRange = false;
        string? unit = null;
        if (window is not null)
        {
            BsonArray? bounds = null;
            foreach (var e in window)
            {
                switch (e.Name)
                {
                    case "documents":
                        bounds = e.Value as BsonArray;
                        break;
                    case "range":
                        bounds = e.Value as BsonArray;
                        isRange = true;
                        break;
                    case "unit":
                        unit = e.Value is BsonString u ? u.Value : throw MongoError.FailedToParse("'unit' must be a string");
                        break;
                    default:
                        throw MongoError.FailedToParse($"'window' field can only contain 'documents' as the only argument or 'range' with an optional 'unit' field");
                }
            }
            if (bounds is not { Count: 2 }) throw MongoError.FailedToParse("Window bounds must be a 2-element array");
            if (sortBy is null && !(IsUnbounded(bounds[0]) && IsUnbounded(bounds[1])))
                throw MongoError.FailedToParse("Document-based bounds require a sortBy");
            lower = ParseBound(bounds[0]);
            upper = ParseBound(bounds[1]);
        }
        return new Output(DocumentPaths.Split(field.Name), op, compiled, arguments, lower, upper, isRange, unit);
    }

    private static bool IsUnbounded(BsonValue v) => v is BsonString { Value: "unbounded" };

    private static Bound ParseBound(BsonValue v) => v switch
    {
        BsonString { Value: "unbounded" } => new Bound(true, BsonNull.Value),
        BsonString { Value: "current" } => new Bound(false, 0),
        _ when Values.IsNumber(v) => new Bound(false, v),
        _ => throw MongoError.FailedToParse($"Window bounds must be 'unbounded', 'current' or a number, found {Values.Describe(v)}"),
    };

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        var rows = input.Select((d, i) => (Doc: d, Partition: _partitionBy?.Invoke(new Scope(d, _context)) ?? BsonNull.Value, Index: i)).ToList();
        var partitionOrder = Comparer<BsonValue>.Create((a, b) => Values.Compare(a, b, _context.Collation));
        rows.Sort((a, b) =>
        {
            var c = partitionOrder.Compare(a.Partition, b.Partition);
            if (c == 0 && _sort is not null) c = _sort.Compare(a.Doc, b.Doc);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        });
        var start = 0;
        while (start < rows.Count)
        {
            var end = start + 1;
            while (end < rows.Count && partitionOrder.Compare(rows[end].Partition, rows[start].Partition) == 0) end++;
            var partition = rows.GetRange(start, end - start).Select(r => r.Doc).ToList();
            foreach (var d in Compute(partition)) yield return d;
            start = end;
        }
    }

    private List<BsonDocument> Compute(List<BsonDocument> partition)
    {
        var results = partition.ToList();
        foreach (var output in _outputs)
        {
            var values = new BsonValue[partition.Count];
            for (var i = 0; i < partition.Count; i++) values[i] = Evaluate(output, partition, i) ?? BsonNull.Value;
            for (var i = 0; i < partition.Count; i++) results[i] = DocumentPaths.With(results[i], output.Path, values[i]);
        }
        return results;
    }

    private BsonValue? Evaluate(Output output, List<BsonDocument> partition, int i)
    {
        switch (output.Op)
        {
            case "$documentNumber":
                return i + 1;
            case "$rank" or "$denseRank":
                var rank = 1;
                for (var j = 1; j <= i; j++)
                {
                    if (_sort!.Compare(partition[j - 1], partition[j]) != 0) rank = output.Op == "$rank" ? j + 1 : rank + 1;
                }
                return rank;
            case "$shift":
                var by = output.Arguments!.GetValue("by", 0);
                if (!Values.TryGetInt(by, out var offset)) throw MongoError.FailedToParse("'$shift:by' field must be an integer");
                var target = i + offset;
                return target >= 0 && target < partition.Count
                    ? output.Argument!(new Scope(partition[target], _context)) ?? BsonNull.Value
                    : output.Arguments.GetValue("default", BsonNull.Value);
            case "$locf":
                for (var j = i; j >= 0; j--)
                {
                    var v = output.Argument!(new Scope(partition[j], _context));
                    if (!Values.IsNullish(v)) return v;
                }
                return BsonNull.Value;
        }
        var (from, to) = output.IsRange ? RangeWindow(output, partition, i) : DocumentWindow(output, partition.Count, i);
        var acc = Accumulators.Create(output.Op, _context.Collation)!;
        for (var j = from; j <= to; j++) acc.Add(output.Argument!(new Scope(partition[j], _context)));
        return acc.Result();
    }

    private static (int From, int To) DocumentWindow(Output output, int count, int i)
    {
        var from = output.Lower.Unbounded ? 0 : i + output.Lower.Offset.ToInt32();
        var to = output.Upper.Unbounded ? count - 1 : i + output.Upper.Offset.ToInt32();
        return (Math.Max(0, from), Math.Min(count - 1, to));
    }

    private (int From, int To) RangeWindow(Output output, List<BsonDocument> partition, int i)
    {
        if (_sortPath is null) throw MongoError.Location(5339902, "Range-based bounds require sortBy a single field");
        BsonValue? Key(int j) => DocumentPaths.Get(partition[j], _sortPath);
        var current = Key(i);
        if (current is null || !(Values.IsNumber(current) || current is BsonDateTime))
            throw MongoError.Location(5429414, "Invalid range: Expected the sortBy field to be a number or a date, but it was " + Values.TypeName(current));
        double Position(BsonValue v) => v is BsonDateTime dt ? dt.MillisecondsSinceEpoch : Values.ToDouble(v);
        double Scale(BsonValue offset) => Values.ToDouble(offset) * output.Unit switch
        {
            null or "millisecond" => 1,
            "second" => 1000,
            "minute" => 60_000,
            "hour" => 3_600_000,
            "day" => 86_400_000,
            "week" => 604_800_000,
            _ => throw MongoError.BadValue($"range unit '{output.Unit}' is not supported by the embedded server"),
        };
        var here = Position(current);
        var low = output.Lower.Unbounded ? double.NegativeInfinity : here + Scale(output.Lower.Offset);
        var high = output.Upper.Unbounded ? double.PositiveInfinity : here + Scale(output.Upper.Offset);
        int from = -1, to = -2;
        for (var j = 0; j < partition.Count; j++)
        {
            var k = Key(j);
            if (k is null || !(Values.IsNumber(k) || k is BsonDateTime)) continue;
            var p = Position(k);
            if (p < low || p > high) continue;
            if (from < 0) from = j;
            to = j;
        }
        return (from < 0 ? 0 : from, to);
    }
}
