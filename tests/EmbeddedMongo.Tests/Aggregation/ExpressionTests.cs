using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Aggregation;

[Collection(AggregationServerCollection.Name)]
public sealed class ExpressionTests(AggregationServerFixture server)
{
    private const string Sample =
        "{_id: 1, a: 5, b: 2.5, n: null, s: 'Hello World', arr: [1, 2, 3], docs: [{x: 1}, {x: 2}, {y: 3}]," +
        " nested: {p: {q: 7}}, d: ISODate('2024-03-15T10:20:30.123Z'), big: 2147483647, l: NumberLong(10)}";

    private async Task<BsonValue?> Evaluate(string expression)
    {
        var collection = await server.CollectionWith(Sample);
        var result = await collection.Run($"[{{$project: {{_id: 0, v: {expression}}}}}]");
        return Assert.Single(result).GetValue("v", null);
    }

    private async Task Expect(string expression, string expected)
    {
        var actual = await Evaluate(expression);
        var wanted = BsonSerializer.Deserialize<BsonDocument>($"{{v: {expected}}}")["v"];
        Assert.NotNull(actual);
        Assert.Equal(AggregationAssertions.Canonical(wanted), AggregationAssertions.Canonical(actual));
    }

    [Theory]
    [InlineData("{$add: ['$a', '$b', 1]}", "8.5")]
    [InlineData("{$add: ['$a', 1]}", "6")]
    [InlineData("{$add: ['$big', 1]}", "NumberLong(2147483648)")]
    [InlineData("{$add: ['$l', 1]}", "NumberLong(11)")]
    [InlineData("{$add: ['$d', 1000]}", "ISODate('2024-03-15T10:20:31.123Z')")]
    [InlineData("{$add: ['$a', null]}", "null")]
    [InlineData("{$subtract: ['$d', ISODate('2024-03-15T10:20:30.000Z')]}", "NumberLong(123)")]
    [InlineData("{$subtract: ['$d', 123]}", "ISODate('2024-03-15T10:20:30.000Z')")]
    [InlineData("{$multiply: ['$a', 2]}", "10")]
    [InlineData("{$divide: ['$a', 2]}", "2.5")]
    [InlineData("{$mod: ['$a', 3]}", "2")]
    [InlineData("{$abs: -3}", "3")]
    [InlineData("{$ceil: 2.1}", "3.0")]
    [InlineData("{$floor: -2.1}", "-3.0")]
    [InlineData("{$round: [2.5, 0]}", "2.0")]
    [InlineData("{$round: [3.5]}", "4.0")]
    [InlineData("{$round: [1234, -2]}", "1200")]
    [InlineData("{$trunc: [-2.7]}", "-2.0")]
    [InlineData("{$sqrt: 16}", "4.0")]
    [InlineData("{$pow: [2, 10]}", "1024")]
    [InlineData("{$pow: [2, -1]}", "0.5")]
    [InlineData("{$exp: 0}", "1.0")]
    [InlineData("{$ln: 1}", "0.0")]
    [InlineData("{$log10: 1000}", "3.0")]
    public Task Arithmetic_follows_MongoDBs_type_rules(string expression, string expected) => Expect(expression, expected);

    [Theory]
    [InlineData("{$eq: ['$a', 5]}", "true")]
    [InlineData("{$eq: ['$a', 5.0]}", "true")]
    [InlineData("{$ne: ['$a', 5]}", "false")]
    [InlineData("{$gt: ['$a', 4]}", "true")]
    [InlineData("{$lt: ['$s', 1]}", "false")]
    [InlineData("{$gte: ['$n', null]}", "true")]
    [InlineData("{$eq: ['$missing', null]}", "false")]
    [InlineData("{$lt: ['$missing', null]}", "true")]
    [InlineData("{$cmp: ['a', 'b']}", "-1")]
    [InlineData("{$and: [1, 'x', true]}", "true")]
    [InlineData("{$and: [1, 0]}", "false")]
    [InlineData("{$or: [null, '$missing', false]}", "false")]
    [InlineData("{$not: [[]]}", "false")]
    [InlineData("{$cond: [{$gt: ['$a', 3]}, 'big', 'small']}", "'big'")]
    [InlineData("{$cond: {if: '$n', then: 1, else: 2}}", "2")]
    [InlineData("{$ifNull: ['$missing', '$n', 'fallback']}", "'fallback'")]
    [InlineData("{$ifNull: ['$a', 'fallback']}", "5")]
    [InlineData("{$switch: {branches: [{case: {$eq: ['$a', 4]}, then: 'four'}, {case: {$eq: ['$a', 5]}, then: 'five'}], default: 'other'}}", "'five'")]
    [InlineData("{$switch: {branches: [{case: false, then: 1}], default: 'none'}}", "'none'")]
    public Task Comparison_logic_and_conditionals(string expression, string expected) => Expect(expression, expected);

    [Theory]
    [InlineData("{$concat: ['$s', '!']}", "'Hello World!'")]
    [InlineData("{$concat: ['$s', '$missing']}", "null")]
    [InlineData("{$substr: ['$s', 0, 5]}", "'Hello'")]
    [InlineData("{$substrBytes: ['$s', 6, -1]}", "'World'")]
    [InlineData("{$substrCP: ['héllo', 1, 3]}", "'éll'")]
    [InlineData("{$toLower: '$s'}", "'hello world'")]
    [InlineData("{$toUpper: '$s'}", "'HELLO WORLD'")]
    [InlineData("{$toLower: null}", "''")]
    [InlineData("{$trim: {input: '  x  '}}", "'x'")]
    [InlineData("{$ltrim: {input: 'xxaxx', chars: 'x'}}", "'axx'")]
    [InlineData("{$rtrim: {input: 'xxaxx', chars: 'x'}}", "'xxa'")]
    [InlineData("{$split: ['a,b,,c', ',']}", "['a', 'b', '', 'c']")]
    [InlineData("{$strLenCP: 'héllo'}", "5")]
    [InlineData("{$strLenBytes: 'héllo'}", "6")]
    [InlineData("{$indexOfCP: ['$s', 'World']}", "6")]
    [InlineData("{$indexOfCP: ['$s', 'xyz']}", "-1")]
    [InlineData("{$strcasecmp: ['abc', 'ABC']}", "0")]
    [InlineData("{$regexMatch: {input: '$s', regex: '^hel', options: 'i'}}", "true")]
    [InlineData("{$regexMatch: {input: '$s', regex: /^hel/}}", "false")]
    [InlineData("{$regexFind: {input: 'a1b22', regex: '([0-9]+)'}}", "{match: '1', idx: 1, captures: ['1']}")]
    [InlineData("{$replaceOne: {input: 'a-b-c', find: '-', replacement: '+'}}", "'a+b-c'")]
    [InlineData("{$replaceAll: {input: 'a-b-c', find: '-', replacement: '+'}}", "'a+b+c'")]
    public Task String_operators(string expression, string expected) => Expect(expression, expected);

    [Theory]
    [InlineData("'$docs.x'", "[1, 2]")]
    [InlineData("'$nested.p.q'", "7")]
    [InlineData("'$$ROOT.a'", "5")]
    [InlineData("'$$CURRENT.nested.p'", "{q: 7}")]
    [InlineData("{$size: '$arr'}", "3")]
    [InlineData("{$arrayElemAt: ['$arr', -1]}", "3")]
    [InlineData("{$first: '$arr'}", "1")]
    [InlineData("{$last: '$arr'}", "3")]
    [InlineData("{$concatArrays: ['$arr', [4]]}", "[1, 2, 3, 4]")]
    [InlineData("{$slice: ['$arr', -2]}", "[2, 3]")]
    [InlineData("{$slice: ['$arr', 1, 1]}", "[2]")]
    [InlineData("{$reverseArray: '$arr'}", "[3, 2, 1]")]
    [InlineData("{$isArray: ['$arr']}", "true")]
    [InlineData("{$in: [2, '$arr']}", "true")]
    [InlineData("{$indexOfArray: ['$arr', 3]}", "2")]
    [InlineData("{$range: [0, 10, 3]}", "[0, 3, 6, 9]")]
    [InlineData("{$map: {input: '$arr', in: {$multiply: ['$$this', 10]}}}", "[10, 20, 30]")]
    [InlineData("{$map: {input: '$arr', as: 'v', in: {$add: ['$$v', '$a']}}}", "[6, 7, 8]")]
    [InlineData("{$filter: {input: '$arr', as: 'x', cond: {$gt: ['$$x', 1]}}}", "[2, 3]")]
    [InlineData("{$filter: {input: '$arr', cond: {$gt: ['$$this', 1]}, limit: 1}}", "[2]")]
    [InlineData("{$reduce: {input: '$arr', initialValue: 0, in: {$add: ['$$value', '$$this']}}}", "6")]
    [InlineData("{$zip: {inputs: [[1, 2], ['a', 'b']]}}", "[[1, 'a'], [2, 'b']]")]
    [InlineData("{$setUnion: [[1, 2], [2, 3]]}", "[1, 2, 3]")]
    [InlineData("{$setIntersection: [[1, 2, 3], [2, 3, 4]]}", "[2, 3]")]
    [InlineData("{$setDifference: [[1, 2, 3], [2]]}", "[1, 3]")]
    [InlineData("{$setEquals: [[1, 2], [2, 1, 1]]}", "true")]
    [InlineData("{$setIsSubset: [[1], [1, 2]]}", "true")]
    [InlineData("{$sum: '$arr'}", "6")]
    [InlineData("{$sum: [1, 'x', 2.5]}", "3.5")]
    [InlineData("{$sum: [[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]]}", "1.0")]
    [InlineData("{$sum: [['$big', 1]]}", "NumberLong(2147483648)")]
    [InlineData("{$avg: '$arr'}", "2.0")]
    [InlineData("{$min: '$arr'}", "1")]
    [InlineData("{$max: [1, 5, null, 3]}", "5")]
    public Task Field_paths_and_array_operators(string expression, string expected) => Expect(expression, expected);

    [Theory]
    [InlineData("{$mergeObjects: [{a: 1, b: 1}, {b: 2}, null]}", "{a: 1, b: 2}")]
    [InlineData("{$getField: 'a'}", "5")]
    [InlineData("{$bsonSize: {a: 1}}", "12")]
    [InlineData("{$getField: {field: 'q', input: '$nested.p'}}", "7")]
    [InlineData("{$objectToArray: '$nested'}", "[{k: 'p', v: {q: 7}}]")]
    [InlineData("{$arrayToObject: [[['k', 1], ['j', 2]]]}", "{k: 1, j: 2}")]
    [InlineData("{$arrayToObject: [[{k: 'k', v: 1}]]}", "{k: 1}")]
    [InlineData("{x: '$a', y: '$missing', z: {$add: [1, 1]}}", "{x: 5, z: 2}")]
    [InlineData("['$a', '$missing']", "[5, null]")]
    [InlineData("{$literal: '$a'}", "'$a'")]
    [InlineData("{$let: {vars: {t: 10}, in: {$add: ['$$t', '$a']}}}", "15")]
    public Task Object_literal_and_variable_operators(string expression, string expected) => Expect(expression, expected);

    [Theory]
    [InlineData("{$year: '$d'}", "2024")]
    [InlineData("{$month: '$d'}", "3")]
    [InlineData("{$dayOfMonth: '$d'}", "15")]
    [InlineData("{$hour: '$d'}", "10")]
    [InlineData("{$minute: '$d'}", "20")]
    [InlineData("{$second: '$d'}", "30")]
    [InlineData("{$millisecond: '$d'}", "123")]
    [InlineData("{$dayOfWeek: '$d'}", "6")]
    [InlineData("{$dayOfYear: '$d'}", "75")]
    [InlineData("{$week: '$d'}", "10")]
    [InlineData("{$isoWeek: '$d'}", "11")]
    [InlineData("{$hour: {date: '$d', timezone: '+02:00'}}", "12")]
    [InlineData("{$hour: {date: '$d', timezone: 'America/New_York'}}", "6")]
    [InlineData("{$dateToString: {date: '$d'}}", "'2024-03-15T10:20:30.123Z'")]
    [InlineData("{$dateToString: {date: '$d', format: '%Y/%m/%d %H:%M:%S.%L %j %%'}}", "'2024/03/15 10:20:30.123 075 %'")]
    [InlineData("{$dateToString: {date: '$missing', onNull: 'none'}}", "'none'")]
    [InlineData("{$dateFromString: {dateString: '2024-01-02T03:04:05.678Z'}}", "ISODate('2024-01-02T03:04:05.678Z')")]
    [InlineData("{$dateFromString: {dateString: '02/01/2024', format: '%d/%m/%Y'}}", "ISODate('2024-01-02T00:00:00Z')")]
    [InlineData("{$dateFromString: {dateString: 'nope', onError: 'bad'}}", "'bad'")]
    [InlineData("{$toDate: '2024-01-02'}", "ISODate('2024-01-02T00:00:00Z')")]
    [InlineData("{$toDate: NumberLong(0)}", "ISODate('1970-01-01T00:00:00Z')")]
    [InlineData("{$dateTrunc: {date: '$d', unit: 'week'}}", "ISODate('2024-03-10T00:00:00Z')")]
    [InlineData("{$dateTrunc: {date: '$d', unit: 'hour', binSize: 6}}", "ISODate('2024-03-15T06:00:00Z')")]
    [InlineData("{$dateDiff: {startDate: '$d', endDate: ISODate('2025-01-01T00:00:00Z'), unit: 'month'}}", "NumberLong(10)")]
    [InlineData("{$dateDiff: {startDate: '$d', endDate: ISODate('2024-03-16T00:00:00Z'), unit: 'day'}}", "NumberLong(1)")]
    [InlineData("{$dateAdd: {startDate: '$d', unit: 'month', amount: 1}}", "ISODate('2024-04-15T10:20:30.123Z')")]
    public Task Date_operators(string expression, string expected) => Expect(expression, expected);

    [Theory]
    [InlineData("{$type: '$missing'}", "'missing'")]
    [InlineData("{$type: '$l'}", "'long'")]
    [InlineData("{$type: '$docs'}", "'array'")]
    [InlineData("{$isNumber: '$b'}", "true")]
    [InlineData("{$toString: '$b'}", "'2.5'")]
    [InlineData("{$toString: '$a'}", "'5'")]
    [InlineData("{$toString: true}", "'true'")]
    [InlineData("{$toInt: '42'}", "42")]
    [InlineData("{$toInt: 2.9}", "2")]
    [InlineData("{$toLong: '$a'}", "NumberLong(5)")]
    [InlineData("{$toDouble: '1.5'}", "1.5")]
    [InlineData("{$toDecimal: '$a'}", "NumberDecimal('5')")]
    [InlineData("{$toBool: 0}", "false")]
    [InlineData("{$toBool: 'false'}", "true")]
    [InlineData("{$toObjectId: '5f0000000000000000000000'}", "ObjectId('5f0000000000000000000000')")]
    [InlineData("{$convert: {input: 'x', to: 'int', onError: -1}}", "-1")]
    [InlineData("{$convert: {input: '$missing', to: 'int', onNull: 0}}", "0")]
    [InlineData("{$convert: {input: '7', to: 16}}", "7")]
    public Task Type_and_conversion_operators(string expression, string expected) => Expect(expression, expected);

    [Theory]
    [InlineData("'$missing'")]
    [InlineData("'$$REMOVE'")]
    [InlineData("{$arrayElemAt: ['$arr', 10]}")]
    [InlineData("{$cond: [true, '$$REMOVE', 1]}")]
    public async Task An_expression_yielding_missing_leaves_the_field_out(string expression) =>
        Assert.Null(await Evaluate(expression));

    [Fact]
    public async Task NOW_is_a_date_close_to_the_current_time()
    {
        var now = await Evaluate("'$$NOW'");

        Assert.NotNull(now);
        Assert.InRange(now.ToUniversalTime(), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }

    [Theory]
    [InlineData("{$foo: 1}", 168, "Unrecognized expression '$foo'")]
    [InlineData("{$add: ['$s', 1]}", 16554, "$add only supports numeric or date types, not string")]
    [InlineData("{$add: ['$d', '$d']}", 16612, "only one date allowed in an $add expression")]
    [InlineData("{$subtract: [1, '$d']}", 16556, "date")]
    [InlineData("{$multiply: ['$s', 2]}", 16555, "$multiply only supports numeric types")]
    [InlineData("{$divide: ['$a', 0]}", 16608, "can't $divide by zero")]
    [InlineData("{$mod: ['$a', 0]}", 16610, "can't $mod by zero")]
    [InlineData("{$sqrt: -1}", 28714, "$sqrt's argument must be greater than or equal to 0")]
    [InlineData("{$eq: [1]}", 16020, "Expression $eq takes exactly 2 arguments. 1 were passed in.")]
    [InlineData("{$size: '$s'}", 17124, "The argument to $size must be an array. Type of argument is: string")]
    [InlineData("{$arrayElemAt: ['$s', 0]}", 28689, "$arrayElemAt's first argument must be an array, but is string")]
    [InlineData("{$concat: ['$s', 1]}", 16702, "$concat only supports strings, not int")]
    [InlineData("{$in: [1, '$s']}", 40081, "$in requires an array as a second argument, found: string")]
    [InlineData("{$map: {input: '$s', in: 1}}", 16883, "input to $map must be an array not string")]
    [InlineData("{$filter: {input: '$s', cond: true}}", 28651, "input to $filter must be an array not string")]
    [InlineData("{$switch: {branches: [{case: false, then: 1}]}}", 40066, "$switch could not find a matching branch")]
    [InlineData("'$$nope'", 17276, "Use of undefined variable: nope")]
    [InlineData("{$toInt: 'abc'}", 241, "Failed to parse number 'abc'")]
    [InlineData("{$objectToArray: 1}", 40390, "$objectToArray requires a document input, found: int")]
    [InlineData("{$mergeObjects: [1]}", 40400, "$mergeObjects requires object inputs")]
    [InlineData("{$dateToString: {date: '$d', format: '%Q'}}", 18536, "Invalid format character '%Q' in format string")]
    [InlineData("{$year: '$s'}", 16006, "can't convert from BSON type string to Date")]
    [InlineData("{$a: 1, $b: 2}", 15983, "An object representing an expression must have exactly one field")]
    [InlineData("'$'", 16872, "'$' by itself is not a valid FieldPath")]
    public async Task A_bad_expression_fails_with_MongoDBs_error(string expression, int code, string message)
    {
        var collection = await server.CollectionWith(Sample);

        var error = await collection.Fails($"[{{$project: {{v: {expression}}}}}]");

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task An_unknown_operator_is_reported_even_when_no_document_reaches_it()
    {
        var collection = await server.CollectionWith();

        var error = await collection.Fails("[{$project: {v: {$nonsense: 1}}}]");

        Assert.Equal(168, error.Code);
        Assert.Equal("InvalidPipelineOperator", error.CodeName);
    }
}
