using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>
/// Picks an index for a filter: equality prefix (with $in) then one range field, or an index whose order gives the
/// requested sort. Plans only narrow the candidates; every candidate is still checked against the full filter.
/// </summary>
internal static class QueryPlanner
{
    private const int MaxPointCombinations = 1000;

    public static ScanPlan Plan(CollectionStore collection, BsonDocument filter, BsonDocument? sort, BsonValue? hint, BsonDocument? collation)
    {
        var constraints = new Dictionary<string, Constraint>(StringComparer.Ordinal);
        Collect(filter, constraints);
        if (hint is BsonDocument natural && natural.Contains("$natural")) return ScanPlan.CollectionScan;
        if (hint is not null && !IsEmptyHint(hint))
        {
            var hinted = collection.Indexes.FirstOrDefault(i => hint.IsString ? i.Definition.Name == hint.AsString : hint.IsBsonDocument && i.Definition.KeyPattern.Equals(hint.AsBsonDocument))
                ?? throw new MongoError(2, "BadValue", "hint provided does not correspond to an existing index");
            return Build(hinted, constraints, sort, collation, force: true) ?? ScanPlan.CollectionScan;
        }
        ScanPlan? best = null;
        var bestScore = 0;
        foreach (var index in collection.Indexes)
        {
            if (index.Definition.PartialFilter is not null || index.Definition.Sparse) continue;
            var plan = Build(index, constraints, sort, collation, force: false);
            if (plan is null) continue;
            var score = Score(index, constraints, collation) * 4 + (plan.ProvidesSort ? 2 : 0) + (index.Definition.Unique || index.Definition.IsIdIndex ? 1 : 0);
            if (score > bestScore || (score == bestScore && best is not null && index.Definition.Fields.Length < best.Index!.Definition.Fields.Length))
            {
                best = plan;
                bestScore = score;
            }
        }
        return best ?? ScanPlan.CollectionScan;
    }

    private static bool IsEmptyHint(BsonValue hint) => hint.IsBsonNull || (hint.IsBsonDocument && hint.AsBsonDocument.ElementCount == 0) || (hint.IsString && hint.AsString.Length == 0);

    private static int Score(IndexStore index, Dictionary<string, Constraint> constraints, BsonDocument? collation)
    {
        var score = 0;
        foreach (var (path, _) in index.Definition.Fields)
        {
            if (!constraints.TryGetValue(path, out var c) || !Usable(c, index, collation)) break;
            if (c.Points is not null) { score += 2; continue; }
            score += 1;
            break;
        }
        return score;
    }

    private static ScanPlan? Build(IndexStore index, Dictionary<string, Constraint> constraints, BsonDocument? sort, BsonDocument? collation, bool force)
    {
        var fields = index.Definition.Fields;
        var starts = new List<BsonValue[]> { new BsonValue[fields.Length] };
        var ends = new List<BsonValue[]> { new BsonValue[fields.Length] };
        var equalityPrefix = 0;
        var constrained = false;
        var i = 0;
        for (; i < fields.Length; i++)
        {
            if (!constraints.TryGetValue(fields[i].Path, out var c) || !Usable(c, index, collation)) break;
            constrained = true;
            if (c.Points is { } points)
            {
                if (starts.Count * points.Count > MaxPointCombinations) break;
                starts = Expand(starts, points, i);
                ends = Expand(ends, points, i);
                equalityPrefix = starts.Count == 1 ? i + 1 : equalityPrefix;
                continue;
            }
            // On a multikey index two bounds may be met by different elements, so only one side can narrow the scan.
            var (low, high) = index.IsMultikey && c.Low is not null
                ? (c.Low, HighestOfType(c.Low))
                : (c.Low ?? LowestOfType(c.High!), c.High ?? HighestOfType(c.Low!));
            foreach (var s in starts) s[i] = fields[i].Direction > 0 ? low : high;
            foreach (var e in ends) e[i] = fields[i].Direction > 0 ? high : low;
            i++;
            break;
        }
        for (; i < fields.Length; i++)
        {
            foreach (var s in starts) s[i] = fields[i].Direction > 0 ? BsonMinKey.Value : BsonMaxKey.Value;
            foreach (var e in ends) e[i] = fields[i].Direction > 0 ? BsonMaxKey.Value : BsonMinKey.Value;
        }
        var (providesSort, reverse) = SortOrder(index, sort, collation, starts.Count == 1 ? equalityPrefix : 0);
        if (!constrained && !providesSort && !force) return null;
        var ranges = constrained ? starts.Zip(ends).ToList() : [];
        if (reverse) ranges.Reverse();
        return new ScanPlan(index, ranges, reverse, providesSort);
    }

    private static (bool Provides, bool Reverse) SortOrder(IndexStore index, BsonDocument? sort, BsonDocument? collation, int equalityPrefix)
    {
        if (sort is null || sort.ElementCount == 0 || index.IsMultikey) return (false, false);
        if (!SameCollation(index.Definition.CollationSpec, collation)) return (false, false);
        var fields = index.Definition.Fields;
        for (var start = 0; start <= equalityPrefix; start++)
        {
            if (start + sort.ElementCount > fields.Length) break;
            bool? reverse = null;
            var ok = true;
            for (var t = 0; t < sort.ElementCount && ok; t++)
            {
                var element = sort.GetElement(t);
                if (!element.Value.IsNumeric || element.Name != fields[start + t].Path) { ok = false; break; }
                var same = Math.Sign(element.Value.ToDouble()) == fields[start + t].Direction;
                reverse ??= !same;
                ok = reverse == !same;
            }
            if (ok) return (true, reverse ?? false);
        }
        return (false, false);
    }

    private static List<BsonValue[]> Expand(List<BsonValue[]> keys, List<BsonValue> points, int position)
    {
        var result = new List<BsonValue[]>(keys.Count * points.Count);
        foreach (var key in keys)
        {
            foreach (var point in points)
            {
                var copy = (BsonValue[])key.Clone();
                copy[position] = point;
                result.Add(copy);
            }
        }
        return result;
    }

    private static bool Usable(Constraint c, IndexStore index, BsonDocument? collation) =>
        SameCollation(index.Definition.CollationSpec, collation) || !c.InvolvesStrings;

    private static bool SameCollation(BsonDocument? a, BsonDocument? b)
    {
        static bool Simple(BsonDocument? d) => d is null || d.GetValue("locale", "simple") == "simple";
        return (Simple(a) && Simple(b)) || (a is not null && b is not null && a.Equals(b));
    }

    private static void Collect(BsonDocument filter, Dictionary<string, Constraint> constraints)
    {
        foreach (var element in filter)
        {
            if (element.Name == "$and" && element.Value is BsonArray clauses)
            {
                foreach (var clause in clauses.OfType<BsonDocument>()) Collect(clause, constraints);
                continue;
            }
            if (element.Name.StartsWith('$')) continue;
            var constraint = ToConstraint(element.Value);
            if (constraint is null) continue;
            if (!constraints.TryGetValue(element.Name, out var existing)) constraints[element.Name] = constraint;
            else constraints[element.Name] = existing.Merge(constraint);
        }
    }

    private static Constraint? ToConstraint(BsonValue value)
    {
        if (IsOperatorDocument(value, out var operators))
        {
            Constraint? result = null;
            foreach (var op in operators!)
            {
                Constraint? next = op.Name switch
                {
                    "$eq" when IsIndexablePoint(op.Value) => Constraint.Point(op.Value),
                    "$in" when op.Value is BsonArray values && values.All(IsIndexablePoint) && values.Count > 0 => new Constraint { Points = values.ToList() },
                    "$gt" or "$gte" when IsIndexableBound(op.Value) => new Constraint { Low = op.Value },
                    "$lt" or "$lte" when IsIndexableBound(op.Value) => new Constraint { High = op.Value },
                    _ => null,
                };
                if (next is not null) result = result is null ? next : result.Merge(next);
            }
            return result;
        }
        return IsIndexablePoint(value) ? Constraint.Point(value) : null;
    }

    private static bool IsOperatorDocument(BsonValue value, out BsonDocument? operators)
    {
        operators = value as BsonDocument;
        return operators is not null && operators.ElementCount > 0 && operators.GetElement(0).Name.StartsWith('$');
    }

    private static bool IsIndexablePoint(BsonValue v) =>
        v is not (BsonArray or BsonDocument or BsonRegularExpression or BsonUndefined) && !(v is BsonDouble d && double.IsNaN(d.Value));

    private static bool IsIndexableBound(BsonValue v) =>
        v is not (BsonArray or BsonDocument or BsonRegularExpression or BsonNull or BsonUndefined or BsonMinKey or BsonMaxKey);

    private static BsonValue LowestOfType(BsonValue v) => v.BsonType switch
    {
        BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => new BsonDouble(double.NaN),
        BsonType.String or BsonType.Symbol => new BsonString(""),
        BsonType.DateTime => new BsonDateTime(long.MinValue),
        BsonType.ObjectId => new BsonObjectId(ObjectId.Empty),
        BsonType.Boolean => BsonBoolean.False,
        _ => BsonMinKey.Value,
    };

    private static BsonValue HighestOfType(BsonValue v) => v.BsonType switch
    {
        BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => new BsonDouble(double.PositiveInfinity),
        BsonType.String or BsonType.Symbol => new BsonDocument(),
        BsonType.DateTime => new BsonDateTime(long.MaxValue),
        BsonType.Boolean => BsonBoolean.True,
        _ => BsonMaxKey.Value,
    };

    private sealed class Constraint
    {
        public List<BsonValue>? Points { get; init; }
        public BsonValue? Low { get; init; }
        public BsonValue? High { get; init; }

        public bool InvolvesStrings =>
            (Points?.Any(p => p.IsString) ?? false) || (Low?.IsString ?? false) || (High?.IsString ?? false);

        public static Constraint Point(BsonValue value) => new() { Points = [value] };

        public Constraint Merge(Constraint other)
        {
            if (Points is not null) return this;
            if (other.Points is not null) return other;
            return new Constraint { Low = Low ?? other.Low, High = High ?? other.High };
        }
    }
}
