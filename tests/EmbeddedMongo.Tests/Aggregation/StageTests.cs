using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;
using static Monolith.EmbeddedMongo.Tests.Aggregation.AggregationAssertions;

namespace Monolith.EmbeddedMongo.Tests.Aggregation;

[Collection(AggregationServerCollection.Name)]
public sealed class StageTests(AggregationServerFixture server)
{
    private Task<IMongoCollection<BsonDocument>> Orders() => server.CollectionWith(
        "{_id: 1, item: 'a', price: 10, qty: 2, tags: ['x', 'y'], cust: 1}",
        "{_id: 2, item: 'b', price: 20, qty: 1, tags: [], cust: 2}",
        "{_id: 3, item: 'a', price: 5, qty: 10, cust: 1}",
        "{_id: 4, item: 'c', price: 7.5, qty: 3, tags: null, cust: [1, 2]}");

    [Fact]
    public async Task Group_runs_every_accumulator_per_key()
    {
        var orders = await Orders();

        var result = await orders.Run("""
            [{$group: {_id: '$item', total: {$sum: {$multiply: ['$price', '$qty']}}, n: {$sum: 1}, c: {$count: {}},
                       avg: {$avg: '$price'}, ids: {$push: '$_id'}, custs: {$addToSet: '$cust'}, first: {$first: '$qty'},
                       last: {$last: '$qty'}, lo: {$min: '$price'}, hi: {$max: '$price'}, tags: {$push: '$tags'}}},
             {$sort: {_id: 1}}]
            """);

        SameDocuments("""
            [{_id: 'a', total: 70, n: 2, c: 2, avg: 7.5, ids: [1, 3], custs: [1], first: 2, last: 10, lo: 5, hi: 10, tags: [['x', 'y']]},
             {_id: 'b', total: 20, n: 1, c: 1, avg: 20.0, ids: [2], custs: [2], first: 1, last: 1, lo: 20, hi: 20, tags: [[]]},
             {_id: 'c', total: 22.5, n: 1, c: 1, avg: 7.5, ids: [4], custs: [[1, 2]], first: 3, last: 3, lo: 7.5, hi: 7.5, tags: [null]}]
            """, result);
    }

    [Fact]
    public async Task Group_keys_compare_by_value_so_numeric_types_and_missing_fields_merge()
    {
        var collection = await server.CollectionWith(
            "{_id: 1, k: 1}", "{_id: 2, k: 1.0}", "{_id: 3, k: NumberLong(1)}", "{_id: 4, k: null}", "{_id: 5}",
            "{_id: 6, k: {a: 1, b: 2}}", "{_id: 7, k: {a: 1, b: 2}}");

        var result = await collection.Run("[{$group: {_id: '$k', ids: {$push: '$_id'}}}, {$sort: {_id: 1}}]");

        SameDocuments("[{_id: null, ids: [4, 5]}, {_id: 1, ids: [1, 2, 3]}, {_id: {a: 1, b: 2}, ids: [6, 7]}]", result);
    }

    [Fact]
    public async Task Group_by_a_compound_key_and_by_null()
    {
        var orders = await Orders();

        var byPair = await orders.Run("[{$group: {_id: {item: '$item', q: {$gt: ['$qty', 2]}}, n: {$sum: 1}}}, {$sort: {'_id.item': 1, '_id.q': 1}}]");
        var all = await orders.Run("[{$group: {_id: null, qty: {$sum: '$qty'}, avg: {$avg: '$missing'}, hi: {$max: '$missing'}}}]");

        SameDocuments("""
            [{_id: {item: 'a', q: false}, n: 1}, {_id: {item: 'a', q: true}, n: 1},
             {_id: {item: 'b', q: false}, n: 1}, {_id: {item: 'c', q: true}, n: 1}]
            """, byPair);
        SameDocuments("[{_id: null, qty: 16, avg: null, hi: null}]", all);
    }

    [Fact]
    public async Task Project_includes_excludes_and_computes_nested_fields()
    {
        var collection = await server.CollectionWith("{_id: 1, a: {b: 1, c: 2}, arr: [{x: 1, y: 2}, {x: 3}, 5], d: 4}");

        var inclusion = await collection.Run("[{$project: {'a.b': 1, 'arr.x': 1, sum: {$add: ['$d', 1]}, lit: {$literal: 1}}}]");
        var exclusion = await collection.Run("[{$project: {_id: 0, 'a.c': 0, 'arr.y': 0}}]");
        var computedNested = await collection.Run("[{$project: {_id: 0, 'out.v': '$d', arr: {x: 1}}}]");

        SameDocuments("[{_id: 1, a: {b: 1}, arr: [{x: 1}, {x: 3}], sum: 5, lit: 1}]", inclusion);
        SameDocuments("[{a: {b: 1}, arr: [{x: 1}, {x: 3}, 5], d: 4}]", exclusion);
        SameDocuments("[{arr: [{x: 1}, {x: 3}], out: {v: 4}}]", computedNested);
    }

    [Fact]
    public async Task Project_into_a_compound_id()
    {
        var collection = await server.CollectionWith("{_id: {a: 1, b: 2}, c: 3}");

        var included = await collection.Run("[{$project: {'_id.a': 1, c: 1}}]");
        var excluded = await collection.Run("[{$project: {'_id.b': 0}}]");

        SameDocuments("[{_id: {a: 1}, c: 3}]", included);
        SameDocuments("[{_id: {a: 1}, c: 3}]", excluded);
    }

    [Fact]
    public async Task AddFields_set_and_unset_keep_the_rest_of_the_document()
    {
        var collection = await server.CollectionWith("{_id: 1, a: 1, b: {c: 1}, items: [{p: 1}, {p: 2}]}");

        var result = await collection.Run("""
            [{$addFields: {a: {$add: ['$a', 1]}, 'b.d': 2, 'items.q': 0, z: '$$REMOVE'}},
             {$set: {b: {e: 3}, gone: 1}},
             {$unset: ['gone', 'items.p']}]
            """);

        SameDocuments("[{_id: 1, a: 2, b: {c: 1, d: 2, e: 3}, items: [{q: 0}, {q: 0}]}]", result);
    }

    [Fact]
    public async Task Unwind_in_both_forms()
    {
        var orders = await Orders();

        var plain = await orders.Run("[{$unwind: '$tags'}, {$project: {tags: 1}}]");
        var full = await orders.Run("""
            [{$unwind: {path: '$tags', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true}}, {$project: {tags: 1, i: 1}}]
            """);
        var scalar = await server.CollectionWith("{_id: 1, v: 5}");

        SameDocuments("[{_id: 1, tags: 'x'}, {_id: 1, tags: 'y'}]", plain);
        SameDocuments("""
            [{_id: 1, tags: 'x', i: NumberLong(0)}, {_id: 1, tags: 'y', i: NumberLong(1)}, {_id: 2, i: null},
             {_id: 3, i: null}, {_id: 4, tags: null, i: null}]
            """, full);
        SameDocuments("[{_id: 1, v: 5}]", await scalar.Run("[{$unwind: '$v'}]"));
    }

    [Fact]
    public async Task Sort_skip_limit_and_count()
    {
        var orders = await Orders();

        var page = await orders.Run("[{$sort: {price: -1, _id: 1}}, {$skip: 1}, {$limit: 2}, {$project: {price: 1}}]");
        var count = await orders.Run("[{$count: 'n'}]");
        var none = await orders.Run("[{$skip: 10}, {$count: 'n'}]");

        SameDocuments("[{_id: 1, price: 10}, {_id: 4, price: 7.5}]", page);
        SameDocuments("[{n: 4}]", count);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Sort_is_stable_for_equal_keys()
    {
        var collection = await server.CollectionWith(Enumerable.Range(1, 30).Select(i => $"{{_id: {i}, k: {i % 3}}}").ToArray());

        var result = await collection.Run("[{$sort: {k: 1}}]");

        var expected = Enumerable.Range(1, 30).OrderBy(i => i % 3).ToArray();
        Assert.Equal(expected, result.Select(d => d["_id"].AsInt32).ToArray());
    }

    [Fact]
    public async Task Lookup_by_fields_matches_array_elements_on_either_side()
    {
        var orders = await Orders();
        var customers = server.Database.GetCollection<BsonDocument>(orders.CollectionNamespace.CollectionName + "_customers");
        await customers.InsertManyAsync(
            [AggregationServerFixture.Doc("{_id: 1, name: 'Ann'}"), AggregationServerFixture.Doc("{_id: 2, name: 'Bob'}"),
             AggregationServerFixture.Doc("{_id: 3, name: 'Cid', orders: [2, 3]}")],
            cancellationToken: TestContext.Current.CancellationToken);

        var byCustomer = await orders.Run($$$$"""
            [{$lookup: {from: '{{{{customers.CollectionNamespace.CollectionName}}}}', localField: 'cust', foreignField: '_id', as: 'c'}},
             {$project: {names: '$c.name'}}]
            """);
        var byForeignArray = await orders.Run($$$$"""
            [{$lookup: {from: '{{{{customers.CollectionNamespace.CollectionName}}}}', localField: '_id', foreignField: 'orders', as: 'c'}},
             {$project: {n: {$size: '$c'}}}]
            """);

        SameDocuments("[{_id: 1, names: ['Ann']}, {_id: 2, names: ['Bob']}, {_id: 3, names: ['Ann']}, {_id: 4, names: ['Ann', 'Bob']}]", byCustomer);
        SameDocuments("[{_id: 1, n: 0}, {_id: 2, n: 1}, {_id: 3, n: 1}, {_id: 4, n: 0}]", byForeignArray);
    }

    [Fact]
    public async Task Lookup_with_let_and_pipeline_and_combined_with_fields()
    {
        var orders = await Orders();
        var name = orders.CollectionNamespace.CollectionName;

        var correlated = await orders.Run($$$$"""
            [{$lookup: {from: '{{{{name}}}}', let: {it: '$item', me: '$_id'},
                        pipeline: [{$match: {$expr: {$and: [{$eq: ['$item', '$$it']}, {$ne: ['$_id', '$$me']}]}}}, {$project: {_id: 1}}],
                        as: 'same'}},
             {$project: {same: 1}}]
            """);
        var combined = await orders.Run($$$$"""
            [{$lookup: {from: '{{{{name}}}}', localField: 'item', foreignField: 'item', let: {q: '$qty'},
                        pipeline: [{$match: {$expr: {$gt: ['$qty', '$$q']}}}, {$project: {_id: 1}}], as: 'more'}},
             {$project: {more: 1}}]
            """);

        SameDocuments("[{_id: 1, same: [{_id: 3}]}, {_id: 2, same: []}, {_id: 3, same: [{_id: 1}]}, {_id: 4, same: []}]", correlated);
        SameDocuments("[{_id: 1, more: [{_id: 3}]}, {_id: 2, more: []}, {_id: 3, more: []}, {_id: 4, more: []}]", combined);
    }

    [Fact]
    public async Task Lookup_joined_by_an_expr_equality_keeps_aggregation_equality_semantics()
    {
        var outer = await server.CollectionWith("{_id: 'a', v: 1}", "{_id: 'b'}", "{_id: 'c', v: [1]}");
        var inner = await server.CollectionWith("{_id: 1, k: 1}", "{_id: 2, k: 1.0}", "{_id: 3}", "{_id: 4, k: null}", "{_id: 5, k: [1]}");
        var from = inner.CollectionNamespace.CollectionName;

        var simple = await outer.Run("""
            [{$lookup: {from: 'FROM', let: {c: '$v'}, pipeline: [{$match: {$expr: {$eq: ['$k', '$$c']}}}, {$project: {_id: 1}}], as: 'j'}},
             {$project: {ids: '$j._id'}}]
            """.Replace("FROM", from));
        var conjunction = await outer.Run("""
            [{$lookup: {from: 'FROM', let: {c: '$v'}, pipeline: [{$match: {$expr: {$and: [{$eq: ['$$c', '$k']}, {$gt: ['$_id', 1]}]}}}], as: 'j'}},
             {$project: {ids: '$j._id'}}]
            """.Replace("FROM", from));

        SameDocuments("[{_id: 'a', ids: [1, 2]}, {_id: 'b', ids: [4]}, {_id: 'c', ids: [5]}]", simple);
        SameDocuments("[{_id: 'a', ids: [2]}, {_id: 'b', ids: [4]}, {_id: 'c', ids: [5]}]", conjunction);
    }

    [Fact]
    public async Task Facet_runs_each_sub_pipeline_over_the_same_input()
    {
        var orders = await Orders();

        var result = await orders.Run("""
            [{$facet: {byItem: [{$sortByCount: '$item'}, {$sort: {count: -1, _id: 1}}], total: [{$count: 'n'}], none: [{$match: {item: 'zzz'}}]}}]
            """);

        SameDocuments("""
            [{byItem: [{_id: 'a', count: 2}, {_id: 'b', count: 1}, {_id: 'c', count: 1}], total: [{n: 4}], none: []}]
            """, result);
    }

    [Fact]
    public async Task ReplaceRoot_replaceWith_and_unionWith()
    {
        var collection = await server.CollectionWith("{_id: 1, inner: {a: 1}}", "{_id: 2, inner: {a: 2}}");
        var other = await server.CollectionWith("{_id: 10, a: 10}");

        var replaced = await collection.Run("[{$replaceRoot: {newRoot: '$inner'}}]");
        var replacedWith = await collection.Run("[{$replaceWith: {$mergeObjects: [{id: '$_id'}, '$inner']}}]");
        var union = await collection.Run($$$$"""
            [{$project: {a: '$inner.a'}}, {$unionWith: {coll: '{{{{other.CollectionNamespace.CollectionName}}}}', pipeline: [{$set: {from: 'other'}}]}}]
            """);

        SameDocuments("[{a: 1}, {a: 2}]", replaced);
        SameDocuments("[{id: 1, a: 1}, {id: 2, a: 2}]", replacedWith);
        SameDocuments("[{_id: 1, a: 1}, {_id: 2, a: 2}, {_id: 10, a: 10, from: 'other'}]", union);
    }

    [Fact]
    public async Task Let_variables_of_the_command_are_visible_to_expressions()
    {
        var collection = await server.CollectionWith("{_id: 1}", "{_id: 2}");
        var options = new AggregateOptions { Let = AggregationServerFixture.Doc("{id: 1, x: 'foo'}") };

        var result = await collection.Run("[{$match: {$expr: {$eq: ['$_id', '$$id']}}}, {$project: {_id: 0, x: '$$x'}}]", options);

        SameDocuments("[{x: 'foo'}]", result);
    }

    [Fact]
    public async Task A_database_aggregate_starts_from_documents()
    {
        var stages = PipelineDefinition<NoPipelineInput, BsonDocument>.Create(
            AggregationServerFixture.Stages("[{$documents: [{a: 1}, {a: 2}]}, {$match: {a: 2}}]"));

        using var cursor = await server.Database.AggregateAsync(stages, cancellationToken: TestContext.Current.CancellationToken);

        SameDocuments("[{a: 2}]", await cursor.ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Results_larger_than_one_batch_come_back_through_getMore()
    {
        var collection = await server.CollectionWith(Enumerable.Range(1, 250).Select(i => $"{{_id: {i}}}").ToArray());

        var result = await collection.Run("[{$sort: {_id: -1}}, {$project: {double: {$multiply: ['$_id', 2]}}}]", new AggregateOptions { BatchSize = 50 });

        Assert.Equal(250, result.Count);
        Assert.Equal(500, result[0]["double"].AsInt32);
    }
}
