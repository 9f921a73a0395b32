using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage.Durability;

/// <summary>
/// What storage mutations report to: each one becomes a log record, appended while the mutation still holds its
/// collection's write lock (so the log order is the commit order). Mutations hold the gate shared; a checkpoint holds
/// it exclusively to see a state that is exactly "everything logged so far".
/// </summary>
internal sealed class Journal(WriteAheadLog log)
{
    [ThreadStatic] private static long t_lastAppended;
    [ThreadStatic] private static List<byte[]>? t_batch;
    private readonly ReaderWriterLockSlim _gate = new(LockRecursionPolicy.SupportsRecursion);

    public WriteAheadLog Log { get; } = log;

    /// <summary>Forgets what this thread appended before; called when a command starts.</summary>
    public static void BeginCommand() => t_lastAppended = 0;

    /// <summary>
    /// What the reply to the command that just ran on this thread must wait for: the records it appended, or, for a
    /// write that changed nothing, every record appended so far (its answer may rest on others' writes).
    /// </summary>
    public Task WhenCommandDurable(bool isWrite)
    {
        var lsn = t_lastAppended;
        t_lastAppended = 0;
        if (lsn == 0 && isWrite) lsn = Log.Appended;
        return lsn == 0 ? Task.CompletedTask : Log.WaitDurableAsync(lsn);
    }

    public void EnterMutation() => _gate.EnterReadLock();

    public void ExitMutation() => _gate.ExitReadLock();

    public void PauseWrites() => _gate.EnterWriteLock();

    public void ResumeWrites() => _gate.ExitWriteLock();

    public void Created(CollectionStore collection) =>
        Append(PayloadWriter.Start(LogOp.Create, collection.Database, collection.Name).Document(Documents.ToBytes(collection.Options)));

    public void Dropped(string database, string collection) => Append(PayloadWriter.Start(LogOp.Drop, database, collection));

    public void DatabaseDropped(string database) => Append(PayloadWriter.Start(LogOp.DropDatabase, database, ""));

    public void Renamed(string fromDb, string from, string toDb, string to, bool dropTarget) =>
        Append(PayloadWriter.Start(LogOp.Rename, fromDb, from).String(toDb).String(to).Byte(dropTarget ? (byte)1 : (byte)0));

    public void Inserted(CollectionStore collection, ReadOnlySpan<byte> document) =>
        Append(PayloadWriter.Start(LogOp.Insert, collection.Database, collection.Name).Document(document));

    /// <summary>A replaced document keeps its _id, so the new version alone identifies it.</summary>
    public void Replaced(CollectionStore collection, ReadOnlySpan<byte> after) =>
        Append(PayloadWriter.Start(LogOp.Replace, collection.Database, collection.Name).Document(after));

    public void Deleted(CollectionStore collection, BsonValue id) =>
        Append(PayloadWriter.Start(LogOp.Delete, collection.Database, collection.Name).Document(Documents.ToBytes(new BsonDocument("_id", id))));

    public void Truncated(CollectionStore collection) => Append(PayloadWriter.Start(LogOp.Truncate, collection.Database, collection.Name));

    public void IndexAdded(CollectionStore collection, IndexDefinition definition) =>
        Append(PayloadWriter.Start(LogOp.AddIndex, collection.Database, collection.Name).Document(Documents.ToBytes(definition.Spec)));

    public void IndexDropped(CollectionStore collection, string name) =>
        Append(PayloadWriter.Start(LogOp.DropIndex, collection.Database, collection.Name).String(name));

    public void IndexesDroppedButId(CollectionStore collection) =>
        Append(PayloadWriter.Start(LogOp.DropAllIndexesButId, collection.Database, collection.Name));

    /// <summary>A whole collection swapped in ($out): its options, indexes and every document, as one record.</summary>
    public void ReplacedWith(string database, string name, CollectionStore replacement)
    {
        var writer = PayloadWriter.Start(LogOp.ReplaceWith, database, name)
            .Document(Documents.ToBytes(replacement.Options))
            .Document(Documents.ToBytes(new BsonDocument("indexes", new BsonArray(replacement.Indexes.Select(i => i.Definition.Spec)))))
            .Int32(replacement.Count);
        foreach (var (_, bytes) in replacement.All()) writer.Document(bytes.Span);
        Append(writer);
    }

    /// <summary>Collects this thread's records instead of appending them, until <see cref="EndBatch"/> or <see cref="DiscardBatch"/>.</summary>
    public static void BeginBatch() => t_batch = [];

    /// <summary>Forgets the collected records (a commit that was undone).</summary>
    public static void DiscardBatch() => t_batch = null;

    /// <summary>Appends the collected records as one <see cref="LogOp.Transaction"/> record: recovery applies all or none.</summary>
    public void EndBatch()
    {
        var batch = t_batch;
        t_batch = null;
        if (batch is null || batch.Count == 0) return;
        var writer = PayloadWriter.Start(LogOp.Transaction, "", "").Int32(batch.Count);
        foreach (var record in batch) writer.Int32(record.Length).Document(record);
        Append(writer);
    }

    private void Append(PayloadWriter writer)
    {
        if (t_batch is { } batch)
        {
            batch.Add(writer.Written.ToArray());
            return;
        }
        t_lastAppended = Log.Append(writer.Written);
    }
}
