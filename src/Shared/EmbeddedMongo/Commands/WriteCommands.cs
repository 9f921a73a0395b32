using MongoDB.Bson;
using Monolith.EmbeddedMongo.Commands.Transactions;
using Monolith.EmbeddedMongo.Query;
using Monolith.EmbeddedMongo.Storage;
using Monolith.EmbeddedMongo.Storage.Versions;
using Monolith.EmbeddedMongo.Update;

namespace Monolith.EmbeddedMongo.Commands;

/// <summary>
/// insert, update, delete and findAndModify. Each statement runs under the collection's write lock. Inside a transaction
/// a statement reads the transaction's view and puts its changes in the transaction's write set; outside one, a
/// statement that meets a document an open transaction has written waits for that transaction to end and runs again
/// (as mongod's write-conflict retry does), so it never changes anything halfway.
/// </summary>
internal static class WriteCommands
{
    public static void Register(Dictionary<string, Func<CommandContext, BsonDocument>> handlers)
    {
        handlers["insert"] = Insert;
        handlers["update"] = Update;
        handlers["delete"] = Delete;
        handlers["findAndModify"] = FindAndModify;
        handlers["findandmodify"] = FindAndModify;
    }

    private static BsonDocument Insert(CommandContext c)
    {
        var documents = c.OptionalArray("documents") ?? throw MongoError.FailedToParse("BSON field 'insert.documents' is missing but a required field");
        var ordered = c.OptionalBool("ordered", true);
        var collection = CollectionForWrite(c);
        var transaction = Transaction.Current;
        var errors = new BsonArray();
        var n = 0;
        for (var i = 0; i < documents.Count; i++)
        {
            try
            {
                if (documents[i] is not BsonDocument document) throw MongoError.TypeMismatch("documents to insert must be objects");
                var prepared = PrepareForInsert(document, out var bytes);
                while (true)
                {
                    DocumentLockedException? locked = null;
                    collection.Lock.EnterWriteLock();
                    try
                    {
                        if (transaction is null) collection.Insert(prepared, bytes);
                        else transaction.Insert(collection, prepared, bytes);
                    }
                    catch (DocumentLockedException e) { locked = e; }
                    finally { collection.Lock.ExitWriteLock(); }
                    if (locked is null) break;
                    WaitFor(c, locked);
                    collection = CollectionForWrite(c); // the transaction's abort may have dropped the collection it created
                }
                n++;
            }
            catch (MongoError error) when (!EndsTransaction(transaction, error))
            {
                errors.Add(WriteError(i, error));
                if (ordered || transaction is not null) break;
            }
        }
        return WriteReply(n, errors);
    }

    private static BsonDocument Update(CommandContext c)
    {
        var statements = c.OptionalArray("updates") ?? throw MongoError.FailedToParse("BSON field 'update.updates' is missing but a required field");
        var ordered = c.OptionalBool("ordered", true);
        foreach (var raw in statements)
        {
            var statement = raw as BsonDocument ?? throw MongoError.TypeMismatch("BSON field 'update.updates' must be an array of objects");
            if (statement.GetValue("q", BsonNull.Value) is not BsonDocument) throw MongoError.FailedToParse("BSON field 'update.updates.q' is missing but a required field");
            if (statement.GetValue("u", BsonNull.Value) is not (BsonDocument or BsonArray)) throw MongoError.FailedToParse("BSON field 'update.updates.u' is missing but a required field");
        }
        var errors = new BsonArray();
        var upserted = new BsonArray();
        long n = 0, modified = 0;
        for (var i = 0; i < statements.Count; i++)
        {
            try
            {
                var statement = statements[i] as BsonDocument ?? throw MongoError.TypeMismatch("update statements must be objects");
                var result = WaitingForTransactions(c, statement, static (c, statement) => UpdateOne(c, statement));
                n += result.Matched;
                modified += result.Modified;
                if (result.UpsertedId is { } id)
                {
                    n++;
                    upserted.Add(new BsonDocument { { "index", i }, { "_id", id } });
                }
            }
            catch (MongoError error) when (!EndsTransaction(Transaction.Current, error))
            {
                errors.Add(WriteError(i, error));
                if (ordered || Transaction.Current is not null) break;
            }
        }
        var reply = WriteReply(n, errors);
        reply.InsertAt(1, new BsonElement("nModified", (int)modified));
        if (upserted.Count > 0) reply.InsertAt(1, new BsonElement("upserted", upserted));
        return reply;
    }

    private readonly record struct UpdateResult(long Matched, long Modified, BsonValue? UpsertedId);

    private static UpdateResult UpdateOne(CommandContext c, BsonDocument statement)
    {
        var q = statement.GetValue("q", BsonNull.Value) as BsonDocument ?? throw MongoError.FailedToParse("BSON field 'update.updates.q' is missing but a required field");
        if (!statement.TryGetValue("u", out var u) || u is not (BsonDocument or BsonArray))
            throw MongoError.FailedToParse("BSON field 'update.updates.u' is missing but a required field");
        var multi = statement.GetValue("multi", false).ToBoolean();
        var upsert = statement.GetValue("upsert", false).ToBoolean();
        var collationSpec = statement.GetValue("collation", BsonNull.Value) as BsonDocument;
        var context = c.QueryContext(collationSpec, WithConstants(c.OptionalDocument("let"), statement.GetValue("c", BsonNull.Value) as BsonDocument));
        var arrayFilters = statement.GetValue("arrayFilters", BsonNull.Value) as BsonArray;
        var update = UpdateSpec.Compile(u, arrayFilters, context);
        if (multi && update.IsReplacement) throw MongoError.FailedToParse("multi update is not supported for replacement-style update");
        var filter = Filter.Compile(q, context);
        var hint = statement.GetValue("hint", BsonNull.Value) is { IsBsonNull: false } h ? h : null;
        var collection = CollectionForWrite(c);
        if (Transaction.Current is { } transaction) return UpdateInTransaction(transaction, collection, q, filter, update, multi, upsert, hint, collationSpec);
        long modified = 0;
        void Apply(Match match)
        {
            var updated = update.Apply(match.Document, match.PositionalIndex, false, out var changed);
            if (!changed) return;
            collection.Replace(match.RecordId, match.Document, updated, CheckSize(updated), update.IsReplacement);
            modified++;
        }
        if (multi)
        {
            var matched = ForEachMatchYielding(c, collection, q, filter, hint, collationSpec, Apply);
            if (matched > 0 || !upsert) return new UpdateResult(matched, modified, null);
        }
        collection.Lock.EnterWriteLock();
        try
        {
            var plan = QueryPlanner.Plan(collection, q, null, hint, collationSpec);
            if (QueryExecutor.Run(collection, plan, filter).Cast<Match?>().FirstOrDefault() is { } match)
            {
                Apply(match);
                return new UpdateResult(1, modified, null);
            }
            if (!upsert) return new UpdateResult(0, 0, null);
            var inserted = Upsert(collection, q, update);
            return new UpdateResult(0, 0, inserted["_id"]);
        }
        finally
        {
            collection.Lock.ExitWriteLock();
        }
    }

    private static UpdateResult UpdateInTransaction(Transaction transaction, CollectionStore collection, BsonDocument q, Filter filter, UpdateSpec update,
        bool multi, bool upsert, BsonValue? hint, BsonDocument? collationSpec)
    {
        collection.Lock.EnterWriteLock();
        try
        {
            var overrides = transaction.Overrides(collection);
            var matches = QueryExecutor.Run(collection, QueryPlanner.Plan(collection, q, null, hint, collationSpec), filter);
            if (overrides is not null) matches = TransactionView.Overlay(matches, overrides, filter);
            var targets = multi ? matches.ToList() : matches.Take(1).ToList();
            long modified = 0;
            foreach (var match in targets)
            {
                var updated = update.Apply(match.Document, match.PositionalIndex, false, out var changed);
                if (!changed) continue;
                var bytes = CheckSize(updated);
                transaction.Write(collection, match.Document["_id"], Documents.FromBytes(bytes), bytes, update.IsReplacement);
                modified++;
            }
            if (targets.Count > 0 || !upsert) return new UpdateResult(targets.Count, modified, null);
            var document = PrepareForInsert(update.Apply(update.UpsertSeedFor(q), null, true, out _), out var inserted);
            transaction.Insert(collection, document, inserted);
            return new UpdateResult(0, 0, document["_id"]);
        }
        finally
        {
            collection.Lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// The command's collection, created when missing; a transaction that creates it remembers that, so an abort
    /// drops it again if it is still empty.
    /// </summary>
    private static CollectionStore CollectionForWrite(CommandContext c)
    {
        var storage = c.Server.Storage;
        if (Transaction.Current is not { } transaction) return storage.GetOrCreate(c.Database, c.CollectionName);
        if (storage.Find(c.Database, c.CollectionName) is { } existing) return existing;
        var created = storage.GetOrCreate(c.Database, c.CollectionName);
        transaction.Created(created);
        return created;
    }

    /// <summary>A statement error inside a transaction that fails the whole command (the transaction is aborted).</summary>
    private static bool EndsTransaction(Transaction? transaction, MongoError error) => transaction is not null && error.Code == 112;

    /// <summary>
    /// Runs a statement; when it meets a document an open transaction holds (before changing anything), waits for that
    /// transaction to end and runs it again. A wait longer than the transaction lifetime limit answers WriteConflict.
    /// </summary>
    private static T WaitingForTransactions<TState, T>(CommandContext c, TState state, Func<CommandContext, TState, T> statement)
    {
        while (true)
        {
            try
            {
                return statement(c, state);
            }
            catch (DocumentLockedException locked)
            {
                WaitFor(c, locked);
            }
        }
    }

    private static void WaitFor(CommandContext c, DocumentLockedException locked)
    {
        if (!locked.Owner.WaitEnded(c.Server.Options.TransactionLifetimeLimit + TimeSpan.FromSeconds(5)))
            throw new MongoError(112, "WriteConflict", "A document is held by an open transaction that did not end in time.");
    }

    /// <summary>A pipeline update's <c>c</c> constants are variables like the command's <c>let</c>.</summary>
    private static BsonDocument? WithConstants(BsonDocument? let, BsonDocument? constants)
    {
        if (constants is null) return let;
        var merged = let?.DeepClone().AsBsonDocument ?? [];
        foreach (var element in constants) merged[element.Name] = element.Value;
        return merged;
    }

    private const int YieldEvery = 128;

    /// <summary>
    /// Applies a multi-document write in batches, releasing the write lock between batches so that readers and
    /// other writers are served meanwhile (as mongod yields). Each document is re-checked against the filter
    /// after a yield. Returns how many documents matched.
    /// </summary>
    private static long ForEachMatchYielding(CommandContext c, CollectionStore collection, BsonDocument q, Filter filter, BsonValue? hint, BsonDocument? collationSpec, Action<Match> apply)
    {
        List<int> recordIds;
        collection.Lock.EnterReadLock();
        try
        {
            recordIds = QueryExecutor.Run(collection, QueryPlanner.Plan(collection, q, null, hint, collationSpec), filter).Select(m => m.RecordId).ToList();
        }
        finally
        {
            collection.Lock.ExitReadLock();
        }
        long matched = 0;
        var next = 0;
        while (next < recordIds.Count)
        {
            DocumentLockedException? locked = null;
            var end = Math.Min(next + YieldEvery, recordIds.Count);
            collection.Lock.EnterWriteLock();
            try
            {
                for (; next < end; next++)
                {
                    var bytes = collection.Get(recordIds[next]);
                    if (bytes.IsEmpty) continue;
                    var document = Documents.FromBytes(bytes.Span);
                    if (!filter.Matches(document, out var positional)) continue;
                    try
                    {
                        apply(new Match(recordIds[next], bytes, document, positional));
                    }
                    catch (DocumentLockedException e)
                    {
                        // Nothing of this document changed: wait outside the lock, then look at it again.
                        locked = e;
                        break;
                    }
                    matched++;
                }
            }
            finally
            {
                collection.Lock.ExitWriteLock();
            }
            if (locked is not null)
            {
                WaitFor(c, locked);
                continue;
            }
            // The lock is not fair: give readers that queued up during the batch their turn before taking it again.
            for (var spins = 0; spins < 100 && collection.Lock.WaitingReadCount > 0; spins++) Thread.Yield();
        }
        return matched;
    }

    /// <summary>Builds the document an upsert inserts and stores it. Caller holds the write lock.</summary>
    private static BsonDocument Upsert(CollectionStore collection, BsonDocument query, UpdateSpec update)
    {
        var document = update.Apply(update.UpsertSeedFor(query), null, true, out _);
        document = PrepareForInsert(document, out var bytes);
        collection.Insert(document, bytes);
        return document;
    }

    private static BsonDocument Delete(CommandContext c)
    {
        var statements = c.OptionalArray("deletes") ?? throw MongoError.FailedToParse("BSON field 'delete.deletes' is missing but a required field");
        var ordered = c.OptionalBool("ordered", true);
        foreach (var raw in statements)
        {
            // The statements' shape is checked before anything runs: a malformed one fails the whole command.
            var statement = raw as BsonDocument ?? throw MongoError.TypeMismatch("BSON field 'delete.deletes' must be an array of objects");
            if (statement.GetValue("q", BsonNull.Value) is not BsonDocument) throw MongoError.FailedToParse("BSON field 'delete.deletes.q' is missing but a required field");
            if (!statement.TryGetValue("limit", out var limitValue) || !limitValue.IsNumeric)
                throw MongoError.FailedToParse("BSON field 'delete.deletes.limit' is missing but a required field");
            if (limitValue.ToDouble() is not (0 or 1)) throw MongoError.FailedToParse($"The limit field in delete objects must be 0 or 1. Got {limitValue}");
        }
        var errors = new BsonArray();
        long n = 0;
        for (var i = 0; i < statements.Count; i++)
        {
            try
            {
                var statement = statements[i].AsBsonDocument;
                var q = statement["q"].AsBsonDocument;
                var limit = statement["limit"].ToInt32();
                var collationSpec = statement.GetValue("collation", BsonNull.Value) as BsonDocument;
                var context = c.QueryContext(collationSpec, c.OptionalDocument("let"));
                var filter = Filter.Compile(q, context);
                var hint = statement.GetValue("hint", BsonNull.Value) is { IsBsonNull: false } h ? h : null;
                var collection = c.Server.Storage.Find(c.Database, c.CollectionName);
                if (collection is null) continue;
                if (Transaction.Current is { } transaction)
                {
                    n += DeleteInTransaction(transaction, collection, q, filter, limit, hint, collationSpec);
                    continue;
                }
                if (limit == 0)
                {
                    n += ForEachMatchYielding(c, collection, q, filter, hint, collationSpec, m => collection.Delete(m.RecordId, m.Document));
                    continue;
                }
                n += WaitingForTransactions(c, 0, (_, _) =>
                {
                    // Looked up on every attempt: a transaction's abort may have dropped the collection it created.
                    if (c.Server.Storage.Find(c.Database, c.CollectionName) is not { } target) return 0;
                    target.Lock.EnterWriteLock();
                    try
                    {
                        var matches = QueryExecutor.Run(target, QueryPlanner.Plan(target, q, null, hint, collationSpec), filter);
                        if (matches.Cast<Match?>().FirstOrDefault() is not { } match) return 0;
                        target.Delete(match.RecordId, match.Document);
                        return 1;
                    }
                    finally
                    {
                        target.Lock.ExitWriteLock();
                    }
                });
            }
            catch (MongoError error) when (!EndsTransaction(Transaction.Current, error))
            {
                errors.Add(WriteError(i, error));
                if (ordered || Transaction.Current is not null) break;
            }
        }
        return WriteReply(n, errors);
    }

    private static long DeleteInTransaction(Transaction transaction, CollectionStore collection, BsonDocument q, Filter filter, int limit, BsonValue? hint, BsonDocument? collationSpec)
    {
        collection.Lock.EnterWriteLock();
        try
        {
            var overrides = transaction.Overrides(collection);
            var matches = QueryExecutor.Run(collection, QueryPlanner.Plan(collection, q, null, hint, collationSpec), filter);
            if (overrides is not null) matches = TransactionView.Overlay(matches, overrides, filter);
            var targets = limit == 0 ? matches.ToList() : matches.Take(1).ToList();
            foreach (var match in targets) transaction.Write(collection, match.Document["_id"], null, null, replacement: false);
            return targets.Count;
        }
        finally
        {
            collection.Lock.ExitWriteLock();
        }
    }

    private static BsonDocument FindAndModify(CommandContext c) => WaitingForTransactions(c, 0, static (c, _) => FindAndModifyOnce(c));

    private static BsonDocument FindAndModifyOnce(CommandContext c)
    {
        var query = c.OptionalDocument("query") ?? [];
        var sortSpec = c.OptionalDocument("sort");
        var remove = c.OptionalBool("remove", false);
        var returnNew = c.OptionalBool("new", false);
        var upsert = c.OptionalBool("upsert", false);
        var fields = c.OptionalDocument("fields");
        var hasUpdate = c.Command.TryGetValue("update", out var u) && !u.IsBsonNull;
        if (remove && hasUpdate) throw MongoError.FailedToParse("Cannot specify both an update and remove=true");
        if (!remove && !hasUpdate) throw MongoError.FailedToParse("Either an update or remove=true must be specified");
        if (remove && upsert) throw MongoError.FailedToParse("Cannot specify both upsert=true and remove=true");
        if (remove && returnNew) throw MongoError.FailedToParse("Cannot specify both new=true and remove=true; 'remove' always returns the deleted document");
        if (hasUpdate && u is not (BsonDocument or BsonArray)) throw MongoError.FailedToParse("Update argument must be either an object or an array");
        var collationSpec = c.OptionalDocument("collation");
        var context = c.QueryContext();
        var filter = Filter.Compile(query, context);
        var sort = SortSpec.Compile(sortSpec, context.Collation);
        var projection = Projection.Compile(fields, query, context);
        var update = hasUpdate ? UpdateSpec.Compile(u!, c.OptionalArray("arrayFilters"), context) : null;
        var hint = c.Command.GetValue("hint", BsonNull.Value) is { IsBsonNull: false } h ? h : null;
        var collection = remove ? c.Server.Storage.Find(c.Database, c.CollectionName) : CollectionForWrite(c);
        if (collection is null) return new BsonDocument { { "lastErrorObject", new BsonDocument("n", 0) }, { "value", BsonNull.Value } };
        var transaction = Transaction.Current;
        collection.Lock.EnterWriteLock();
        try
        {
            var plan = QueryPlanner.Plan(collection, query, sortSpec, hint, collationSpec);
            var matches = QueryExecutor.Run(collection, plan, filter);
            var overrides = transaction?.Overrides(collection);
            if (overrides is not null) matches = TransactionView.Overlay(matches, overrides, filter);
            Match? target = sort is not null && (!plan.ProvidesSort || overrides is not null)
                ? sort.SortTop(matches, m => m.Document, 1).Cast<Match?>().FirstOrDefault()
                : matches.Cast<Match?>().FirstOrDefault();
            BsonValue Project(BsonDocument d, int? pos) => projection is null ? d : projection.Apply(d, pos);
            if (target is not { } match)
            {
                if (!upsert || update is null) return new BsonDocument { { "lastErrorObject", new BsonDocument { { "n", 0 }, { "updatedExisting", false } } }, { "value", BsonNull.Value } };
                BsonDocument inserted;
                if (transaction is null) inserted = Upsert(collection, query, update);
                else
                {
                    inserted = PrepareForInsert(update.Apply(update.UpsertSeedFor(query), null, true, out _), out var insertedBytes);
                    transaction.Insert(collection, inserted, insertedBytes);
                }
                return new BsonDocument
                {
                    { "lastErrorObject", new BsonDocument { { "n", 1 }, { "updatedExisting", false }, { "upserted", inserted["_id"] } } },
                    { "value", returnNew ? Project(inserted, null) : BsonNull.Value },
                };
            }
            if (remove)
            {
                if (transaction is null) collection.Delete(match.RecordId, match.Document);
                else transaction.Write(collection, match.Document["_id"], null, null, replacement: false);
                return new BsonDocument { { "lastErrorObject", new BsonDocument("n", 1) }, { "value", Project(match.Document, match.PositionalIndex) } };
            }
            var updated = update!.Apply(match.Document, match.PositionalIndex, false, out var changed);
            if (changed && transaction is null)
            {
                collection.Replace(match.RecordId, match.Document, updated, CheckSize(updated), update!.IsReplacement);
            }
            else if (changed)
            {
                var bytes = CheckSize(updated);
                transaction!.Write(collection, match.Document["_id"], Documents.FromBytes(bytes), bytes, update.IsReplacement);
            }
            return new BsonDocument
            {
                { "lastErrorObject", new BsonDocument { { "n", 1 }, { "updatedExisting", true } } },
                { "value", Project(returnNew ? updated : match.Document, match.PositionalIndex) },
            };
        }
        finally
        {
            collection.Lock.ExitWriteLock();
        }
    }

    /// <summary>Puts _id first (generating an ObjectId when absent) and checks the size and the _id's type.</summary>
    internal static BsonDocument PrepareForInsert(BsonDocument document) => PrepareForInsert(document, out _);

    /// <summary>As <see cref="PrepareForInsert(BsonDocument)"/>, also giving the encoded bytes so they are computed once.</summary>
    internal static BsonDocument PrepareForInsert(BsonDocument document, out byte[] bytes)
    {
        document = Documents.Materialize(document);
        if (document.TryGetValue("_id", out var id))
        {
            if (id is BsonArray or BsonRegularExpression or BsonUndefined)
                throw new MongoError(2, "BadValue", $"can't use an {id.BsonType.ToString().ToLowerInvariant()} for _id");
            if (id is BsonDocument idDocument && idDocument.Names.FirstOrDefault(n => n.StartsWith('$')) is { } dollar)
                throw MongoError.DollarPrefixedFieldName($"_id fields may not contain '$'-prefixed fields: {dollar} is not valid for storage.");
            if (document.GetElement(0).Name != "_id")
            {
                document = document.DeepClone().AsBsonDocument;
                document.Remove("_id");
                document.InsertAt(0, new BsonElement("_id", id));
            }
        }
        else
        {
            document = document.DeepClone().AsBsonDocument;
            document.InsertAt(0, new BsonElement("_id", ObjectId.GenerateNewId()));
        }
        bytes = CheckSize(document);
        return document;
    }

    private static byte[] CheckSize(BsonDocument document)
    {
        var bytes = Documents.ToBytes(document);
        if (bytes.Length > Wire.WireLimits.MaxBsonObjectSize)
            throw new MongoError(17419, "BSONObjectTooLarge", $"Document is too large: {bytes.Length} bytes, max size: {Wire.WireLimits.MaxBsonObjectSize}");
        return bytes;
    }

    private static BsonDocument WriteError(int index, MongoError error)
    {
        var document = new BsonDocument { { "index", index }, { "code", error.Code }, { "codeName", error.CodeName }, { "errmsg", error.Message } };
        if (error.Extra is not null) document.AddRange(error.Extra);
        return document;
    }

    private static BsonDocument WriteReply(long n, BsonArray errors)
    {
        var reply = new BsonDocument("n", (int)n);
        if (errors.Count > 0) reply["writeErrors"] = errors;
        return reply;
    }
}
