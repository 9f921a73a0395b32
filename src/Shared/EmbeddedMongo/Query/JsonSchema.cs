using System.Globalization;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>
/// MongoDB's <c>$jsonSchema</c> (JSON Schema draft 4 plus <c>bsonType</c>), compiled into a list of checks. As in
/// JSON Schema, a keyword constrains only values of the type it is about (<c>minimum</c> ignores strings, and so on).
/// </summary>
internal sealed class JsonSchema
{
    private readonly List<Func<BsonValue, bool>> _checks = [];

    private JsonSchema()
    {
    }

    public bool IsValid(BsonValue value)
    {
        foreach (var check in _checks)
        {
            if (!check(value)) return false;
        }
        return true;
    }

    public static JsonSchema Parse(BsonValue spec)
    {
        if (spec is not BsonDocument schema) throw MongoError.TypeMismatch("$jsonSchema must be an object");
        var result = new JsonSchema();
        var checks = result._checks;
        var properties = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        var patternProperties = new List<(System.Text.RegularExpressions.Regex Regex, JsonSchema Schema)>();
        BsonValue? additionalProperties = null;
        BsonValue? items = null;
        BsonValue? additionalItems = null;
        double? minimum = null, maximum = null;
        bool exclusiveMinimum = false, exclusiveMaximum = false;

        foreach (var e in schema)
        {
            var v = e.Value;
            switch (e.Name)
            {
                case "title":
                case "description":
                    break;
                case "bsonType":
                {
                    var test = TypeAliases.Parse(v);
                    checks.Add(value => Test(test, value));
                    break;
                }
                case "type":
                {
                    var names = v is BsonArray a ? a.Select(x => StringOf(x, "type")).ToList() : [StringOf(v, "type")];
                    var tests = names.Select(JsonType).ToArray();
                    checks.Add(value => tests.Any(t => t(value)));
                    break;
                }
                case "enum":
                {
                    if (v is not BsonArray { Count: > 0 } values) throw FailedToParse("enum must be a non-empty array");
                    checks.Add(value => values.Any(x => BsonOrder.Equal(value, x)));
                    break;
                }
                case "required":
                {
                    if (v is not BsonArray { Count: > 0 } names || names.Any(n => n is not BsonString))
                        throw FailedToParse("required must be a non-empty array of strings");
                    var fields = names.Select(n => n.AsString).ToArray();
                    checks.Add(value => value is not BsonDocument d || fields.All(d.Contains));
                    break;
                }
                case "properties":
                    foreach (var p in AsDocument(v, "properties")) properties[p.Name] = Parse(p.Value);
                    break;
                case "patternProperties":
                    foreach (var p in AsDocument(v, "patternProperties"))
                        patternProperties.Add((RegexTranslator.Get(p.Name, ""), Parse(p.Value)));
                    break;
                case "additionalProperties":
                    additionalProperties = v;
                    break;
                case "minProperties":
                {
                    var n = NonNegative(v, e.Name);
                    checks.Add(value => value is not BsonDocument d || d.ElementCount >= n);
                    break;
                }
                case "maxProperties":
                {
                    var n = NonNegative(v, e.Name);
                    checks.Add(value => value is not BsonDocument d || d.ElementCount <= n);
                    break;
                }
                case "minimum":
                    minimum = Number(v, e.Name);
                    break;
                case "maximum":
                    maximum = Number(v, e.Name);
                    break;
                case "exclusiveMinimum":
                    exclusiveMinimum = Bool(v, e.Name);
                    break;
                case "exclusiveMaximum":
                    exclusiveMaximum = Bool(v, e.Name);
                    break;
                case "multipleOf":
                {
                    var m = Number(v, e.Name);
                    if (m <= 0) throw FailedToParse("multipleOf must be a positive number");
                    checks.Add(value => !BsonOrder.IsNumber(value) || Math.IEEERemainder(value.ToDouble(), m) == 0);
                    break;
                }
                case "minLength":
                {
                    var n = NonNegative(v, e.Name);
                    checks.Add(value => value is not BsonString s || new StringInfo(s.Value).LengthInTextElements >= n);
                    break;
                }
                case "maxLength":
                {
                    var n = NonNegative(v, e.Name);
                    checks.Add(value => value is not BsonString s || new StringInfo(s.Value).LengthInTextElements <= n);
                    break;
                }
                case "pattern":
                {
                    var regex = RegexTranslator.Get(StringOf(v, "pattern"), "");
                    checks.Add(value => value is not BsonString s || regex.IsMatch(s.Value));
                    break;
                }
                case "items":
                    items = v;
                    break;
                case "additionalItems":
                    additionalItems = v;
                    break;
                case "minItems":
                {
                    var n = NonNegative(v, e.Name);
                    checks.Add(value => value is not BsonArray a || a.Count >= n);
                    break;
                }
                case "maxItems":
                {
                    var n = NonNegative(v, e.Name);
                    checks.Add(value => value is not BsonArray a || a.Count <= n);
                    break;
                }
                case "uniqueItems":
                    if (Bool(v, e.Name))
                    {
                        checks.Add(value => value is not BsonArray a ||
                            a.Distinct(BsonOrder.EqualityComparer.Binary).Count() == a.Count);
                    }
                    break;
                case "allOf":
                {
                    var all = Schemas(v, e.Name);
                    checks.Add(value => all.All(s => s.IsValid(value)));
                    break;
                }
                case "anyOf":
                {
                    var any = Schemas(v, e.Name);
                    checks.Add(value => any.Any(s => s.IsValid(value)));
                    break;
                }
                case "oneOf":
                {
                    var one = Schemas(v, e.Name);
                    checks.Add(value => one.Count(s => s.IsValid(value)) == 1);
                    break;
                }
                case "not":
                {
                    var not = Parse(v);
                    checks.Add(value => !not.IsValid(value));
                    break;
                }
                case "dependencies":
                    foreach (var dependency in AsDocument(v, "dependencies")) AddDependency(checks, dependency);
                    break;
                default:
                    throw FailedToParse($"Unknown $jsonSchema keyword: {e.Name}");
            }
        }

        if (minimum is { } min)
            checks.Add(value => !BsonOrder.IsNumber(value) || (exclusiveMinimum ? value.ToDouble() > min : value.ToDouble() >= min));
        if (maximum is { } max)
            checks.Add(value => !BsonOrder.IsNumber(value) || (exclusiveMaximum ? value.ToDouble() < max : value.ToDouble() <= max));
        if (properties.Count > 0 || patternProperties.Count > 0 || additionalProperties is not null)
            checks.Add(PropertiesCheck(properties, patternProperties, additionalProperties));
        if (items is not null) checks.Add(ItemsCheck(items, additionalItems));
        return result;
    }

    private static Func<BsonValue, bool> PropertiesCheck(
        Dictionary<string, JsonSchema> properties,
        List<(System.Text.RegularExpressions.Regex Regex, JsonSchema Schema)> patternProperties,
        BsonValue? additional)
    {
        var additionalAllowed = additional is null || (additional is BsonBoolean b && b.Value);
        var additionalSchema = additional is BsonDocument ? Parse(additional) : null;
        if (additional is not null and not BsonBoolean and not BsonDocument)
            throw FailedToParse("additionalProperties must be either an object or a boolean");
        return value =>
        {
            if (value is not BsonDocument d) return true;
            foreach (var field in d)
            {
                var known = false;
                if (properties.TryGetValue(field.Name, out var schema))
                {
                    known = true;
                    if (!schema.IsValid(field.Value)) return false;
                }
                foreach (var (regex, patternSchema) in patternProperties)
                {
                    if (!regex.IsMatch(field.Name)) continue;
                    known = true;
                    if (!patternSchema.IsValid(field.Value)) return false;
                }
                if (known) continue;
                if (additionalSchema is not null && !additionalSchema.IsValid(field.Value)) return false;
                if (additionalSchema is null && !additionalAllowed) return false;
            }
            return true;
        };
    }

    private static Func<BsonValue, bool> ItemsCheck(BsonValue items, BsonValue? additionalItems)
    {
        if (items is BsonDocument)
        {
            var each = Parse(items);
            return value => value is not BsonArray a || a.All(each.IsValid);
        }
        var positional = Schemas(items, "items");
        var extraAllowed = additionalItems is null || (additionalItems is BsonBoolean b && b.Value);
        var extraSchema = additionalItems is BsonDocument ? Parse(additionalItems) : null;
        return value =>
        {
            if (value is not BsonArray a) return true;
            for (var i = 0; i < a.Count; i++)
            {
                if (i < positional.Length)
                {
                    if (!positional[i].IsValid(a[i])) return false;
                }
                else if (extraSchema is not null)
                {
                    if (!extraSchema.IsValid(a[i])) return false;
                }
                else if (!extraAllowed)
                {
                    return false;
                }
            }
            return true;
        };
    }

    private static void AddDependency(List<Func<BsonValue, bool>> checks, BsonElement dependency)
    {
        var name = dependency.Name;
        if (dependency.Value is BsonArray fields)
        {
            var required = fields.Select(f => StringOf(f, "dependencies")).ToArray();
            checks.Add(value => value is not BsonDocument d || !d.Contains(name) || required.All(d.Contains));
        }
        else
        {
            var schema = Parse(dependency.Value);
            checks.Add(value => value is not BsonDocument d || !d.Contains(name) || schema.IsValid(d));
        }
    }

    private static bool Test(IValueTest test, BsonValue value)
    {
        var ignored = -1;
        return test.Test(value, ref ignored);
    }

    private static Func<BsonValue, bool> JsonType(string name) => name switch
    {
        "object" => v => v is BsonDocument,
        "array" => v => v is BsonArray,
        "number" => BsonOrder.IsNumber,
        "boolean" => v => v is BsonBoolean,
        "string" => v => v is BsonString,
        "null" => v => v is BsonNull,
        "integer" => throw FailedToParse("$jsonSchema type 'integer' is not currently supported."),
        _ => throw FailedToParse($"Unknown type name alias: {name}"),
    };

    private static JsonSchema[] Schemas(BsonValue v, string keyword) =>
        v is BsonArray { Count: > 0 } a
            ? a.Select(Parse).ToArray()
            : throw FailedToParse($"{keyword} must be a non-empty array");

    private static BsonDocument AsDocument(BsonValue v, string keyword) =>
        v as BsonDocument ?? throw MongoError.TypeMismatch($"$jsonSchema keyword '{keyword}' must be an object");

    private static string StringOf(BsonValue v, string keyword) =>
        v is BsonString s ? s.Value : throw MongoError.TypeMismatch($"$jsonSchema keyword '{keyword}' must be a string");

    private static double Number(BsonValue v, string keyword) =>
        BsonOrder.IsNumber(v) ? v.ToDouble() : throw MongoError.TypeMismatch($"$jsonSchema keyword '{keyword}' must be a number");

    private static bool Bool(BsonValue v, string keyword) =>
        v is BsonBoolean b ? b.Value : throw MongoError.TypeMismatch($"$jsonSchema keyword '{keyword}' must be a boolean");

    private static long NonNegative(BsonValue v, string keyword)
    {
        var d = Number(v, keyword);
        if (d < 0 || d != Math.Floor(d)) throw FailedToParse($"$jsonSchema keyword '{keyword}' must be a non-negative integer");
        return (long)d;
    }

    private static MongoError FailedToParse(string message) => MongoError.FailedToParse(message);
}
