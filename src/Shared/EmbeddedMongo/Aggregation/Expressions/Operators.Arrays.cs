using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Aggregation;

internal static partial class Operators
{
    private static void RegisterArrays(Dictionary<string, Func<BsonValue, ParseScope, Expr>> t)
    {
        t["$size"] = (o, p) =>
        {
            var a = One("$size", o, p);
            return s => a(s) is var v && v is BsonArray arr
                ? arr.Count
                : throw MongoError.Location(17124, $"The argument to $size must be an array. Type of argument is: {Values.TypeName(v)}");
        };
        t["$isArray"] = (o, p) =>
        {
            var a = One("$isArray", o, p);
            return s => a(s) is BsonArray;
        };
        t["$arrayElemAt"] = (o, p) =>
        {
            var a = Args("$arrayElemAt", o, p, 2, 2);
            return s =>
            {
                var (arrValue, idxValue) = (a[0](s), a[1](s));
                if (Values.IsNullish(arrValue) || Values.IsNullish(idxValue)) return BsonNull.Value;
                if (arrValue is not BsonArray arr)
                    throw MongoError.Location(28689, $"$arrayElemAt's first argument must be an array, but is {Values.TypeName(arrValue)}");
                if (!Values.IsNumber(idxValue))
                    throw MongoError.Location(28690, $"$arrayElemAt's second argument must be a numeric value, but is {Values.TypeName(idxValue)}");
                if (!Values.TryGetInt(idxValue!, out var i))
                    throw MongoError.Location(28691, $"$arrayElemAt's second argument must be representable as a 32-bit integer: {Values.Describe(idxValue)}");
                if (i < 0) i += arr.Count;
                return i >= 0 && i < arr.Count ? arr[i] : null;
            };
        };
        t["$first"] = (o, p) => FirstLast("$first", One("$first", o, p), first: true);
        t["$last"] = (o, p) => FirstLast("$last", One("$last", o, p), first: false);
        t["$concatArrays"] = (o, p) =>
        {
            var a = Args("$concatArrays", o, p, 0);
            return s =>
            {
                var result = new BsonArray();
                foreach (var arg in a)
                {
                    var v = arg(s);
                    if (Values.IsNullish(v)) return BsonNull.Value;
                    if (v is not BsonArray arr) throw MongoError.Location(28664, $"$concatArrays only supports arrays, not {Values.TypeName(v)}");
                    result.AddRange(arr);
                }
                return result;
            };
        };
        t["$reverseArray"] = (o, p) =>
        {
            var a = One("$reverseArray", o, p);
            return s => a(s) switch
            {
                null or BsonNull or BsonUndefined => BsonNull.Value,
                BsonArray arr => new BsonArray(arr.Reverse()),
                var v => throw MongoError.Location(34435, $"The argument to $reverseArray must be an array, but was of type: {Values.TypeName(v)}"),
            };
        };
        t["$in"] = (o, p) =>
        {
            var a = Args("$in", o, p, 2, 2);
            return s =>
            {
                var (x, arrValue) = (a[0](s), a[1](s));
                if (arrValue is not BsonArray arr)
                    throw MongoError.Location(40081, $"$in requires an array as a second argument, found: {Values.TypeName(arrValue)}");
                return arr.Any(e => Values.Equal(x, e, s.Context.Collation));
            };
        };
        t["$indexOfArray"] = (o, p) =>
        {
            var a = Args("$indexOfArray", o, p, 2, 4);
            return s =>
            {
                var arrValue = a[0](s);
                if (Values.IsNullish(arrValue)) return BsonNull.Value;
                if (arrValue is not BsonArray arr)
                    throw MongoError.Location(40090, $"$indexOfArray requires an array as a first argument, found: {Values.TypeName(arrValue)}");
                var search = a[1](s);
                int start = 0, end = arr.Count;
                if (a.Length > 2) start = IndexBound("$indexOfArray", a[2](s), "starting", 40096, 40097);
                if (a.Length > 3) end = Math.Min(end, IndexBound("$indexOfArray", a[3](s), "ending", 40096, 40097));
                for (var i = start; i < end; i++)
                {
                    if (Values.Equal(arr[i], search, s.Context.Collation)) return i;
                }
                return -1;
            };
        };
        t["$range"] = (o, p) =>
        {
            var a = Args("$range", o, p, 2, 3);
            return s =>
            {
                var start = RangeInt(a[0](s), "starting value", 34443, 34444);
                var end = RangeInt(a[1](s), "ending value", 34445, 34446);
                var step = a.Length > 2 ? RangeInt(a[2](s), "step value", 34447, 34448) : 1;
                if (step == 0) throw MongoError.Location(34449, "$range requires a non-zero step value");
                var result = new BsonArray();
                for (long i = start; step > 0 ? i < end : i > end; i += step) result.Add((int)i);
                return result;
            };
        };
        t["$slice"] = (o, p) => Slice(Args("$slice", o, p, 2, 3));
        t["$filter"] = Filter;
        t["$map"] = Map;
        t["$reduce"] = Reduce;
        t["$zip"] = Zip;
        t["$sortArray"] = SortArray;
        t["$firstN"] = (o, p) => TakeN("$firstN", o, p, first: true);
        t["$lastN"] = (o, p) => TakeN("$lastN", o, p, first: false);
    }

    private static Expr FirstLast(string name, Expr a, bool first) => s =>
    {
        var v = a(s);
        if (Values.IsNullish(v)) return BsonNull.Value;
        if (v is not BsonArray arr) throw MongoError.Location(28689, $"{name}'s argument must be an array, but is {Values.TypeName(v)}");
        if (arr.Count == 0) return null;
        return first ? arr[0] : arr[^1];
    };

    private static int RangeInt(BsonValue? v, string what, int typeCode, int intCode)
    {
        if (!Values.IsNumber(v)) throw MongoError.Location(typeCode, $"$range requires a numeric {what}, found value of type: {Values.TypeName(v)}");
        if (!Values.TryGetInt(v!, out var i)) throw MongoError.Location(intCode, $"$range requires a {what} that can be represented as a 32-bit integer, found value: {Values.Describe(v)}");
        return i;
    }

    private static Expr Slice(Expr[] a) => s =>
    {
        var values = a.Select(x => x(s)).ToArray();
        if (values.Any(Values.IsNullish)) return BsonNull.Value;
        if (values[0] is not BsonArray arr) throw MongoError.Location(28724, $"First argument to $slice must be an array, but is of type: {Values.TypeName(values[0])}");
        if (!Values.IsNumber(values[1])) throw MongoError.Location(28725, $"Second argument to $slice must be a numeric value, but is of type: {Values.TypeName(values[1])}");
        if (!Values.TryGetInt(values[1]!, out var second)) throw MongoError.Location(28726, $"Second argument to $slice can't be represented as a 32-bit integer: {Values.Describe(values[1])}");
        int start, count;
        if (values.Length == 2)
        {
            if (second >= 0) (start, count) = (0, second);
            else (start, count) = (Math.Max(0, arr.Count + second), Math.Min(arr.Count, -second));
        }
        else
        {
            if (!Values.IsNumber(values[2])) throw MongoError.Location(28727, $"Third argument to $slice must be numeric, but is of type: {Values.TypeName(values[2])}");
            if (!Values.TryGetInt(values[2]!, out count)) throw MongoError.Location(28728, $"Third argument to $slice can't be represented as a 32-bit integer: {Values.Describe(values[2])}");
            if (count <= 0) throw MongoError.Location(28729, $"Third argument to $slice must be positive: {count}");
            start = second >= 0 ? Math.Min(second, arr.Count) : Math.Max(0, arr.Count + second);
        }
        return new BsonArray(arr.Skip(start).Take(count));
    };

    private static Expr Filter(BsonValue operand, ParseScope scope)
    {
        var args = Named("$filter", operand, 28647, "input", "as", "cond", "limit");
        if (!args.TryGetValue("input", out var inputSpec)) throw MongoError.Location(28648, "Missing 'input' parameter to $filter");
        if (!args.TryGetValue("cond", out var condSpec)) throw MongoError.Location(28650, "Missing 'cond' parameter to $filter");
        var name = args.TryGetValue("as", out var asValue) ? VariableName(asValue, "$filter") : "this";
        var input = ExpressionCompiler.Compile(inputSpec, scope);
        var cond = ExpressionCompiler.Compile(condSpec, scope.With(name));
        var limit = Optional(args, "limit", scope);
        return s =>
        {
            var v = input(s);
            if (Values.IsNullish(v)) return BsonNull.Value;
            if (v is not BsonArray arr) throw MongoError.Location(28651, $"input to $filter must be an array not {Values.TypeName(v)}");
            var max = int.MaxValue;
            if (limit is not null)
            {
                var l = limit(s);
                if (!Values.IsNullish(l))
                {
                    if (!Values.TryGetInt(l!, out max)) throw MongoError.Location(327391, $"$filter: limit must be represented as a 32-bit integral value: {Values.Describe(l)}");
                    if (max < 1) throw MongoError.Location(327392, $"$filter: limit must be greater than 0: {max}");
                }
            }
            var result = new BsonArray();
            foreach (var e in arr)
            {
                if (result.Count >= max) break;
                if (Values.IsTrue(cond(s.With(name, e)))) result.Add(e);
            }
            return result;
        };
    }

    private static Expr Map(BsonValue operand, ParseScope scope)
    {
        var args = Named("$map", operand, 16879, "input", "as", "in");
        if (!args.TryGetValue("input", out var inputSpec)) throw MongoError.Location(16880, "Missing 'input' parameter to $map");
        if (!args.TryGetValue("in", out var inSpec)) throw MongoError.Location(16882, "Missing 'in' parameter to $map");
        var name = args.TryGetValue("as", out var asValue) ? VariableName(asValue, "$map") : "this";
        var input = ExpressionCompiler.Compile(inputSpec, scope);
        var body = ExpressionCompiler.Compile(inSpec, scope.With(name));
        return s =>
        {
            var v = input(s);
            if (Values.IsNullish(v)) return BsonNull.Value;
            if (v is not BsonArray arr) throw MongoError.Location(16883, $"input to $map must be an array not {Values.TypeName(v)}");
            var result = new BsonArray(arr.Count);
            foreach (var e in arr) result.Add(body(s.With(name, e)) ?? BsonNull.Value);
            return result;
        };
    }

    private static Expr Reduce(BsonValue operand, ParseScope scope)
    {
        var args = Named("$reduce", operand, 40076, "input", "initialValue", "in");
        if (!args.TryGetValue("input", out var inputSpec)) throw MongoError.Location(40077, "$reduce requires 'input' to be specified");
        if (!args.TryGetValue("initialValue", out var initSpec)) throw MongoError.Location(40078, "$reduce requires 'initialValue' to be specified");
        if (!args.TryGetValue("in", out var inSpec)) throw MongoError.Location(40079, "$reduce requires 'in' to be specified");
        var input = ExpressionCompiler.Compile(inputSpec, scope);
        var init = ExpressionCompiler.Compile(initSpec, scope);
        var body = ExpressionCompiler.Compile(inSpec, scope.With("value", "this"));
        return s =>
        {
            var v = input(s);
            if (Values.IsNullish(v)) return BsonNull.Value;
            if (v is not BsonArray arr) throw MongoError.Location(40080, $"$reduce requires that 'input' be an array, found: {Values.Describe(v)}");
            var acc = init(s);
            foreach (var e in arr) acc = body(s.With("value", acc).With("this", e));
            return acc;
        };
    }

    private static Expr Zip(BsonValue operand, ParseScope scope)
    {
        var args = Named("$zip", operand, 34464, "inputs", "useLongestLength", "defaults");
        if (!args.TryGetValue("inputs", out var inputsSpec)) throw MongoError.Location(34465, "$zip requires at least one input array");
        if (inputsSpec is not BsonArray inputsArray) throw MongoError.Location(34461, "inputs must be an array of expressions, found " + Values.TypeName(inputsSpec));
        var inputs = inputsArray.Select(v => ExpressionCompiler.Compile(v, scope)).ToArray();
        var longest = args.TryGetValue("useLongestLength", out var l) && l.ToBoolean();
        Expr[]? defaults = null;
        if (args.TryGetValue("defaults", out var d))
        {
            if (!longest) throw MongoError.Location(34466, "cannot specify defaults unless useLongestLength is true");
            if (d is not BsonArray da) throw MongoError.Location(34462, "defaults must be an array of expressions, found " + Values.TypeName(d));
            if (da.Count != inputs.Length) throw MongoError.Location(34467, "defaults and inputs must have the same length");
            defaults = da.Select(v => ExpressionCompiler.Compile(v, scope)).ToArray();
        }
        return s =>
        {
            var arrays = new List<BsonArray>();
            foreach (var input in inputs)
            {
                var v = input(s);
                if (Values.IsNullish(v)) return BsonNull.Value;
                if (v is not BsonArray arr) throw MongoError.Location(34468, $"$zip found a non-array expression in input: {Values.Describe(v)}");
                arrays.Add(arr);
            }
            var n = arrays.Count == 0 ? 0 : longest ? arrays.Max(a => a.Count) : arrays.Min(a => a.Count);
            var fill = defaults?.Select(x => x(s) ?? BsonNull.Value).ToArray();
            var result = new BsonArray();
            for (var i = 0; i < n; i++)
            {
                var row = new BsonArray();
                for (var j = 0; j < arrays.Count; j++)
                    row.Add(i < arrays[j].Count ? arrays[j][i] : fill?[j] ?? BsonNull.Value);
                result.Add(row);
            }
            return result;
        };
    }

    private static Expr SortArray(BsonValue operand, ParseScope scope)
    {
        var args = Named("$sortArray", operand, 2942501, "input", "sortBy");
        var input = args.TryGetValue("input", out var i) ? ExpressionCompiler.Compile(i, scope) : throw MongoError.Location(2942502, "$sortArray requires 'input' to be specified");
        if (!args.TryGetValue("sortBy", out var sortBy)) throw MongoError.Location(2942503, "$sortArray requires 'sortBy' to be specified");
        var validSort = sortBy is BsonDocument spec0
            ? spec0.ElementCount > 0 && spec0.All(k => Values.IsNumber(k.Value) && Values.ToDouble(k.Value) is 1 or -1)
            : Values.IsNumber(sortBy) && Values.ToDouble(sortBy) is 1 or -1;
        if (!validSort) throw MongoError.Location(2942505, "$sortArray sortBy must be 1, -1 or a sort specification object");
        return s =>
        {
            var v = input(s);
            if (Values.IsNullish(v)) return BsonNull.Value;
            if (v is not BsonArray arr) throw MongoError.Location(2942504, $"The input argument to $sortArray must be an array, but was of type: {Values.TypeName(v)}");
            var collation = s.Context.Collation;
            if (sortBy is BsonDocument spec)
            {
                var sort = SortSpec.Compile(spec, collation)!;
                var empty = new BsonDocument();
                return new BsonArray(arr.OrderBy(e => e as BsonDocument ?? empty, sort));
            }
            var direction = sortBy.ToInt32();
            var cmp = Comparer<BsonValue>.Create((x, y) => direction * Values.Compare(x, y, collation));
            return new BsonArray(arr.OrderBy(e => e, cmp));
        };
    }

    private static Expr TakeN(string name, BsonValue operand, ParseScope scope, bool first)
    {
        var args = Named(name, operand, 5787901, "n", "input");
        var n = Required(args, "n", scope, name, 5787906);
        var input = Required(args, "input", scope, name, 5787907);
        return s =>
        {
            var count = n(s);
            if (count is null || !Values.TryGetLong(count, out var k) || k <= 0)
                throw MongoError.Location(5787908, $"Value for 'n' must be a positive integral value, found: {Values.Describe(count)}");
            var v = input(s);
            if (v is not BsonArray arr) throw MongoError.Location(5788200, $"Input to {name} must be an array, found: {Values.TypeName(v)}");
            return new BsonArray(first ? arr.Take((int)Math.Min(k, int.MaxValue)) : arr.TakeLast((int)Math.Min(k, int.MaxValue)));
        };
    }

    private static void RegisterSets(Dictionary<string, Func<BsonValue, ParseScope, Expr>> t)
    {
        t["$setUnion"] = (o, p) =>
        {
            var a = Args("$setUnion", o, p, 0);
            return s =>
            {
                var result = new BsonArray();
                foreach (var arg in a)
                {
                    var v = arg(s);
                    if (Values.IsNullish(v)) return BsonNull.Value;
                    if (v is not BsonArray arr) throw MongoError.Location(17043, $"All operands of $setUnion must be arrays. One argument is of type: {Values.TypeName(v)}");
                    foreach (var e in arr) AddDistinct(result, e, s.Context.Collation);
                }
                return result;
            };
        };
        t["$setIntersection"] = (o, p) =>
        {
            var a = Args("$setIntersection", o, p, 0);
            return s =>
            {
                BsonArray? result = null;
                foreach (var arg in a)
                {
                    var v = arg(s);
                    if (Values.IsNullish(v)) return BsonNull.Value;
                    if (v is not BsonArray arr) throw MongoError.Location(17047, $"All operands of $setIntersection must be arrays. One argument is of type: {Values.TypeName(v)}");
                    var distinct = Distinct(arr, s.Context.Collation);
                    result = result is null ? distinct : new BsonArray(result.Where(e => Contains(distinct, e, s.Context.Collation)));
                }
                return result ?? [];
            };
        };
        t["$setDifference"] = (o, p) =>
        {
            var a = Args("$setDifference", o, p, 2, 2);
            return s =>
            {
                var (x, y) = (a[0](s), a[1](s));
                if (Values.IsNullish(x) || Values.IsNullish(y)) return BsonNull.Value;
                if (x is not BsonArray ax) throw MongoError.Location(17048, $"both operands of $setDifference must be arrays. First argument is of type: {Values.TypeName(x)}");
                if (y is not BsonArray ay) throw MongoError.Location(17049, $"both operands of $setDifference must be arrays. Second argument is of type: {Values.TypeName(y)}");
                return new BsonArray(Distinct(ax, s.Context.Collation).Where(e => !Contains(ay, e, s.Context.Collation)));
            };
        };
        t["$setEquals"] = (o, p) =>
        {
            var a = Args("$setEquals", o, p, 2);
            return s =>
            {
                BsonArray? first = null;
                foreach (var arg in a)
                {
                    var v = arg(s);
                    if (v is not BsonArray arr) throw MongoError.Location(17044, $"All operands of $setEquals must be arrays. One argument is of type: {Values.TypeName(v)}");
                    if (first is null) first = arr;
                    else if (!arr.All(e => Contains(first, e, s.Context.Collation)) || !first.All(e => Contains(arr, e, s.Context.Collation))) return false;
                }
                return true;
            };
        };
        t["$setIsSubset"] = (o, p) =>
        {
            var a = Args("$setIsSubset", o, p, 2, 2);
            return s =>
            {
                var (x, y) = (a[0](s), a[1](s));
                if (x is not BsonArray ax) throw MongoError.Location(17310, $"both operands of $setIsSubset must be arrays. First argument is of type: {Values.TypeName(x)}");
                if (y is not BsonArray ay) throw MongoError.Location(17311, $"both operands of $setIsSubset must be arrays. Second argument is of type: {Values.TypeName(y)}");
                return ax.All(e => Contains(ay, e, s.Context.Collation));
            };
        };
        t["$anyElementTrue"] = (o, p) =>
        {
            var a = One("$anyElementTrue", o, p);
            return s => a(s) is var v && v is BsonArray arr
                ? arr.Any(Values.IsTrue)
                : throw MongoError.Location(17041, $"$anyElementTrue's argument must be an array, but is {Values.TypeName(v)}");
        };
        t["$allElementsTrue"] = (o, p) =>
        {
            var a = One("$allElementsTrue", o, p);
            return s => a(s) is var v && v is BsonArray arr
                ? arr.All(Values.IsTrue)
                : throw MongoError.Location(17040, $"$allElementsTrue's argument must be an array, but is {Values.TypeName(v)}");
        };
    }

    private static bool Contains(BsonArray array, BsonValue value, Collation? collation) =>
        array.Any(e => Values.Equal(e, value, collation));

    private static void AddDistinct(BsonArray target, BsonValue value, Collation? collation)
    {
        if (!Contains(target, value, collation)) target.Add(value);
    }

    private static BsonArray Distinct(BsonArray array, Collation? collation)
    {
        var result = new BsonArray();
        foreach (var e in array) AddDistinct(result, e, collation);
        return result;
    }
}
