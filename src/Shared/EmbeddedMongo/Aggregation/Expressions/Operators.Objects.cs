using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

internal static partial class Operators
{
    private static void RegisterObjects(Dictionary<string, Func<BsonValue, ParseScope, Expr>> t)
    {
        t["$mergeObjects"] = (o, p) =>
        {
            var a = Args("$mergeObjects", o, p, 0);
            return s =>
            {
                var result = new BsonDocument();
                foreach (var arg in a) MergeInto(result, arg(s));
                return result;
            };
        };
        t["$getField"] = GetField;
        t["$setField"] = (o, p) => SetField("$setField", o, p, remove: false);
        t["$unsetField"] = (o, p) => SetField("$unsetField", o, p, remove: true);
        t["$objectToArray"] = (o, p) =>
        {
            var a = One("$objectToArray", o, p);
            return s => a(s) switch
            {
                null or BsonNull or BsonUndefined => BsonNull.Value,
                BsonDocument d => new BsonArray(d.Select(e => new BsonDocument { { "k", e.Name }, { "v", e.Value } })),
                var v => throw MongoError.Location(40390, $"$objectToArray requires a document input, found: {Values.TypeName(v)}"),
            };
        };
        t["$bsonSize"] = (o, p) =>
        {
            var a = One("$bsonSize", o, p);
            return s => a(s) switch
            {
                null or BsonNull or BsonUndefined => BsonNull.Value,
                BsonDocument d => d.ToBson().Length,
                var v => throw MongoError.Location(31393, $"$bsonSize requires a document input, found: {Values.TypeName(v)}"),
            };
        };
        t["$binarySize"] = (o, p) =>
        {
            var a = One("$binarySize", o, p);
            return s => a(s) switch
            {
                null or BsonNull or BsonUndefined => BsonNull.Value,
                BsonString str => System.Text.Encoding.UTF8.GetByteCount(str.Value),
                BsonBinaryData bin => bin.Bytes.Length,
                var v => throw MongoError.Location(51276, $"$binarySize requires a string or BinData argument, found: {Values.TypeName(v)}"),
            };
        };
        t["$arrayToObject"] = (o, p) =>
        {
            var a = One("$arrayToObject", o, p);
            return s => ArrayToObject(a(s));
        };
    }

    /// <summary>$mergeObjects semantics: null and missing are skipped, later fields win.</summary>
    public static void MergeInto(BsonDocument target, BsonValue? value)
    {
        if (Values.IsNullish(value)) return;
        if (value is not BsonDocument d)
            throw MongoError.Location(40400, $"$mergeObjects requires object inputs, but input {Values.Describe(value)} is of type {Values.TypeName(value)}");
        foreach (var e in d) target[e.Name] = e.Value;
    }

    private static BsonValue ArrayToObject(BsonValue? value)
    {
        if (Values.IsNullish(value)) return BsonNull.Value;
        if (value is not BsonArray arr)
            throw MongoError.Location(40386, $"$arrayToObject requires an array input, found: {Values.TypeName(value)}");
        var result = new BsonDocument();
        if (arr.Count == 0) return result;
        var pairs = arr[0] is BsonArray;
        foreach (var item in arr)
        {
            string key;
            BsonValue v;
            if (pairs)
            {
                if (item is not BsonArray pair)
                    throw MongoError.Location(40391, $"$arrayToObject requires a consistent input format. Elements must all be arrays or all be objects. Array was detected, now found: {Values.TypeName(item)}");
                if (pair.Count != 2)
                    throw MongoError.Location(40397, $"$arrayToObject requires an array of size 2 arrays,found array of size: {pair.Count}");
                if (pair[0] is not BsonString k)
                    throw MongoError.Location(40395, $"$arrayToObject requires an array of key-value pairs, where the key must be of type string. Found key type: {Values.TypeName(pair[0])}");
                (key, v) = (k.Value, pair[1]);
            }
            else
            {
                if (item is not BsonDocument kv)
                    throw MongoError.Location(40391, $"$arrayToObject requires a consistent input format. Elements must all be arrays or all be objects. Object was detected, now found: {Values.TypeName(item)}");
                if (kv.ElementCount != 2)
                    throw MongoError.Location(40392, $"$arrayToObject requires an object keys of 'k' and 'v'. Found incorrect number of keys:{kv.ElementCount}");
                if (!kv.TryGetValue("k", out var kValue) || !kv.TryGetValue("v", out var vValue))
                    throw MongoError.Location(40393, $"$arrayToObject requires an object with keys 'k' and 'v'. Missing either or both keys from: {kv.ToJson()}");
                if (kValue is not BsonString k)
                    throw MongoError.Location(40394, $"$arrayToObject requires an object with keys 'k' and 'v', where the value of 'k' must be of type string. Found type: {Values.TypeName(kValue)}");
                (key, v) = (k.Value, vValue);
            }
            if (key.Contains('\0')) throw MongoError.Location(4940400, "Key field cannot contain an embedded null byte");
            result[key] = v;
        }
        return result;
    }

    private static Expr GetField(BsonValue operand, ParseScope scope)
    {
        BsonValue fieldSpec;
        Expr input;
        if (operand is BsonDocument d && !ExpressionCompiler.IsOperatorObject(d))
        {
            foreach (var e in d)
            {
                if (e.Name is not ("field" or "input")) throw MongoError.Location(3041701, $"$getField received unknown argument: {e.Name}");
            }
            if (!d.TryGetValue("field", out fieldSpec!)) throw MongoError.Location(3041702, "$getField requires 'field' to be specified");
            input = d.TryGetValue("input", out var i) ? ExpressionCompiler.Compile(i, scope) : s => s.Current;
        }
        else
        {
            fieldSpec = operand;
            input = s => s.Current;
        }
        var field = ExpressionCompiler.Compile(fieldSpec, scope);
        return s =>
        {
            if (field(s) is not BsonString name)
                throw MongoError.Location(3041704, "$getField requires 'field' to evaluate to type String");
            return input(s) switch
            {
                null => null,
                BsonNull or BsonUndefined => BsonNull.Value,
                BsonDocument doc => doc.TryGetValue(name.Value, out var v) ? v : null,
                var other => throw MongoError.Location(3041705, $"$getField requires 'input' to evaluate to type Object, but got {Values.TypeName(other)}"),
            };
        };
    }

    private static Expr SetField(string name, BsonValue operand, ParseScope scope, bool remove)
    {
        var args = remove ? Named(name, operand, 4161100, "field", "input") : Named(name, operand, 4161100, "field", "input", "value");
        var field = Required(args, "field", scope, name, 4161102);
        var input = Required(args, "input", scope, name, 4161103);
        var value = remove ? null : Required(args, "value", scope, name, 4161104);
        return s =>
        {
            if (field(s) is not BsonString f) throw MongoError.Location(4161106, $"{name} requires 'field' to evaluate to type String");
            var doc = input(s);
            if (Values.IsNullish(doc)) return BsonNull.Value;
            if (doc is not BsonDocument d) throw MongoError.Location(4161105, $"{name} requires 'input' to evaluate to type Object");
            var copy = new BsonDocument(d);
            var v = value?.Invoke(s);
            if (v is null) copy.Remove(f.Value);
            else copy[f.Value] = v;
            return copy;
        };
    }
}
