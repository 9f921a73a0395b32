using MongoDB.Bson;
using Xunit;
using MongoDB.Driver;

namespace Monolith.EmbeddedMongo.Tests.Update;

public sealed class FieldOperatorTests(UpdateServer server) : IClassFixture<UpdateServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Set_appends_new_fields_in_name_order_and_keeps_existing_ones_in_place()
    {
        var c = await server.CollectionWith("{_id: 1, z: 1, m: 1}");
        var result = await c.UpdateOneAsync("{_id: 1}", "{$set: {m: 2, b: 1, a: {c: 1}}}", cancellationToken: Ct);
        UpdateAssert.Counts(result, 1, 1);
        await UpdateAssert.Holds(c, "{_id: 1, z: 1, m: 2, a: {c: 1}, b: 1}");
    }

    [Fact]
    public async Task Set_to_the_value_already_stored_matches_without_modifying()
    {
        var c = await server.CollectionWith("{_id: 1, a: 1, b: {c: [1, 2]}}");
        var result = await c.UpdateOneAsync("{_id: 1}", "{$set: {a: 1, 'b.c': [1, 2]}}", cancellationToken: Ct);
        UpdateAssert.Counts(result, 1, 0);
    }

    [Fact]
    public async Task Set_of_an_int_over_an_equal_double_is_a_modification_because_the_type_changes()
    {
        var c = await server.CollectionWith("{_id: 1, a: 1.0}");
        var result = await c.UpdateOneAsync("{_id: 1}", "{$set: {a: 1}}", cancellationToken: Ct);
        UpdateAssert.Counts(result, 1, 1);
        Assert.Equal(BsonType.Int32, (await UpdateServer.All(c))[0]["a"].BsonType);
    }

    [Fact]
    public async Task Set_through_dotted_paths_creates_embedded_documents_and_pads_arrays_with_nulls()
    {
        var c = await server.CollectionWith("{_id: 1, arr: [1]}");
        await c.UpdateOneAsync("{_id: 1}", "{$set: {'x.y.z': 1, 'arr.3': 4, 'arr.1.k': 2}}", cancellationToken: Ct);
        await UpdateAssert.Holds(c, "{_id: 1, arr: [1, {k: 2}, null, 4], x: {y: {z: 1}}}");
    }

    [Fact]
    public async Task Unset_removes_fields_and_turns_array_elements_into_null()
    {
        var c = await server.CollectionWith("{_id: 1, a: 1, b: [1, 2, 3], c: {d: 1, e: 2}}");
        var result = await c.UpdateOneAsync("{_id: 1}", "{$unset: {a: '', 'b.1': '', 'c.d': 1, missing: 1}}", cancellationToken: Ct);
        UpdateAssert.Counts(result, 1, 1);
        await UpdateAssert.Holds(c, "{_id: 1, b: [1, null, 3], c: {e: 2}}");
    }

    [Fact]
    public async Task Unset_of_missing_fields_does_not_modify()
    {
        var c = await server.CollectionWith("{_id: 1, a: 5}");
        var result = await c.UpdateOneAsync("{_id: 1}", "{$unset: {b: '', 'a.b': ''}}", cancellationToken: Ct);
        UpdateAssert.Counts(result, 1, 0);
    }

    [Fact]
    public async Task Inc_promotes_numeric_types_like_MongoDB()
    {
        var c = await server.CollectionWith("{_id: 1, i: 2147483647, d: 1, l: NumberLong(5), m: NumberDecimal('1.1')}");
        await c.UpdateOneAsync("{_id: 1}", "{$inc: {i: 1, d: 0.5, l: 1, m: 1, created: 3}}", cancellationToken: Ct);
        await UpdateAssert.Holds(c,
            "{_id: 1, i: NumberLong(2147483648), d: 1.5, l: NumberLong(6), m: NumberDecimal('2.1'), created: 3}");
    }

    [Fact]
    public async Task Inc_by_zero_is_not_a_modification()
    {
        var c = await server.CollectionWith("{_id: 1, a: 5}");
        var result = await c.UpdateOneAsync("{_id: 1}", "{$inc: {a: 0}}", cancellationToken: Ct);
        UpdateAssert.Counts(result, 1, 0);
    }

    [Fact]
    public async Task Mul_multiplies_and_stores_a_zero_of_the_operand_type_for_a_missing_field()
    {
        var c = await server.CollectionWith("{_id: 1, a: 3, b: 100000}");
        await c.UpdateOneAsync("{_id: 1}", "{$mul: {a: 2.5, b: 100000, x: NumberLong(7)}}", cancellationToken: Ct);
        await UpdateAssert.Holds(c, "{_id: 1, a: 7.5, b: NumberLong(10000000000), x: NumberLong(0)}");
    }

    [Fact]
    public async Task Min_and_max_replace_only_when_the_new_value_is_lower_or_higher()
    {
        var c = await server.CollectionWith("{_id: 1, lo: 5, hi: 5, keep: 5}");
        var result = await c.UpdateOneAsync("{_id: 1}", "{$min: {lo: 3, keep: 9}, $max: {hi: 8, created: 'x'}}", cancellationToken: Ct);
        UpdateAssert.Counts(result, 1, 1);
        await UpdateAssert.Holds(c, "{_id: 1, lo: 3, hi: 8, keep: 5, created: 'x'}");
        var again = await c.UpdateOneAsync("{_id: 1}", "{$min: {lo: 4}, $max: {hi: 8.0}}", cancellationToken: Ct);
        UpdateAssert.Counts(again, 1, 0);
    }

    [Fact]
    public async Task Rename_moves_a_field_to_the_end_or_over_an_existing_field()
    {
        var c = await server.CollectionWith("{_id: 1, a: 1, b: 2, c: {d: 3}, e: 4}");
        await c.UpdateOneAsync("{_id: 1}", "{$rename: {a: 'z', 'c.d': 'e', nothing: 'x'}}", cancellationToken: Ct);
        await UpdateAssert.Holds(c, "{_id: 1, b: 2, c: {}, e: 3, z: 1}");
    }

    [Fact]
    public async Task Rename_inside_an_embedded_document_combines_with_other_changes_to_it()
    {
        var c = await server.CollectionWith("{_id: 1, x: {y: {s: 1}, k: 0}}");
        await c.UpdateOneAsync("{_id: 1}", "{$rename: {'x.y.s': 'x.z'}, $set: {'x.y.t': 1, 'x.a': 1}, $inc: {'x.k': 1}}", cancellationToken: Ct);
        await UpdateAssert.Holds(c, "{_id: 1, x: {y: {t: 1}, k: 1, a: 1, z: 1}}");
    }

    [Fact]
    public async Task Rename_of_a_missing_field_is_not_a_modification()
    {
        var c = await server.CollectionWith("{_id: 1, a: 1}");
        var result = await c.UpdateOneAsync("{_id: 1}", "{$rename: {b: 'c'}}", cancellationToken: Ct);
        UpdateAssert.Counts(result, 1, 0);
    }

    [Fact]
    public async Task CurrentDate_stores_a_date_or_a_timestamp()
    {
        var c = await server.CollectionWith("{_id: 1}");
        var before = DateTime.UtcNow.AddSeconds(-1);
        await c.UpdateOneAsync("{_id: 1}", "{$currentDate: {d: true, e: {$type: 'date'}, t: {$type: 'timestamp'}}}", cancellationToken: Ct);
        var doc = (await UpdateServer.All(c))[0];
        Assert.InRange(doc["d"].ToUniversalTime(), before, DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(BsonType.DateTime, doc["e"].BsonType);
        Assert.Equal(BsonType.Timestamp, doc["t"].BsonType);
        Assert.True(doc["t"].AsBsonTimestamp.Timestamp >= new DateTimeOffset(before).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Bit_applies_and_or_xor()
    {
        var c = await server.CollectionWith("{_id: 1, a: 13, b: 1, l: NumberLong(1)}");
        await c.UpdateOneAsync("{_id: 1}", "{$bit: {a: {and: 10}, b: {or: 6, xor: 1}, l: {or: 2}, n: {xor: 5}}}", cancellationToken: Ct);
        await UpdateAssert.Holds(c, "{_id: 1, a: 8, b: 6, l: NumberLong(3), n: 5}");
    }

    [Fact]
    public async Task SetOnInsert_is_ignored_when_updating_an_existing_document()
    {
        var c = await server.CollectionWith("{_id: 1}");
        var result = await c.UpdateOneAsync("{_id: 1}", "{$setOnInsert: {a: 1}}", new UpdateOptions { IsUpsert = true }, Ct);
        UpdateAssert.Counts(result, 1, 0);
        await UpdateAssert.Holds(c, "{_id: 1}");
    }

    [Fact]
    public async Task UpdateMany_counts_only_documents_that_really_changed()
    {
        var c = await server.CollectionWith("{_id: 1, a: 1}", "{_id: 2, a: 2}", "{_id: 3, a: 1}");
        var result = await c.UpdateManyAsync("{}", "{$set: {a: 1}}", cancellationToken: Ct);
        UpdateAssert.Counts(result, 3, 1);
        await UpdateAssert.Holds(c, "{_id: 1, a: 1}", "{_id: 2, a: 1}", "{_id: 3, a: 1}");
    }
}
