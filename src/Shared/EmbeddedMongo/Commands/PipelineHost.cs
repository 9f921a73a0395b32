using MongoDB.Bson;
using Monolith.EmbeddedMongo.Aggregation;
using Monolith.EmbeddedMongo.Storage;

namespace Monolith.EmbeddedMongo.Commands;

/// <summary>Gives pipelines access to other collections through the storage engine.</summary>
internal sealed class PipelineHost(StorageEngine storage) : IPipelineHost
{
    public IEnumerable<BsonDocument> ReadCollection(string database, string collection)
    {
        var store = storage.Find(database, collection);
        if (store is null) return [];
        store.Lock.EnterReadLock();
        try
        {
            return Transactions.Transaction.Current is { } transaction
                ? Transactions.TransactionView.All(store, transaction)
                : store.All().Select(r => Documents.FromBytes(r.Bytes.Span)).ToList();
        }
        finally { store.Lock.ExitReadLock(); }
    }

    public void ReplaceCollection(string database, string collection, IReadOnlyList<BsonDocument> documents)
    {
        var existing = storage.Find(database, collection);
        var replacement = new CollectionStore(database, collection, existing?.Options ?? []);
        if (existing is not null)
        {
            existing.Lock.EnterReadLock();
            try
            {
                foreach (var index in existing.Indexes.Skip(1)) replacement.AddIndex(index.Definition);
            }
            finally { existing.Lock.ExitReadLock(); }
        }
        foreach (var document in documents) replacement.Insert(WriteCommands.PrepareForInsert(document));
        if (existing is null) storage.Create(database, collection, [], failIfExists: false);
        storage.ReplaceWith(database, collection, replacement);
    }

    public void Insert(string database, string collection, BsonDocument document)
    {
        var store = storage.GetOrCreate(database, collection);
        var prepared = WriteCommands.PrepareForInsert(document);
        store.Lock.EnterWriteLock();
        try { store.Insert(prepared); }
        finally { store.Lock.ExitWriteLock(); }
    }

    public void Replace(string database, string collection, BsonValue id, BsonDocument document)
    {
        var store = storage.GetOrCreate(database, collection);
        store.Lock.EnterWriteLock();
        try
        {
            var recordId = store.FindById(id);
            if (recordId < 0)
            {
                store.Insert(WriteCommands.PrepareForInsert(document));
                return;
            }
            var before = Documents.FromBytes(store.Get(recordId).Span);
            store.Replace(recordId, before, WriteCommands.PrepareForInsert(document), replacement: true);
        }
        finally { store.Lock.ExitWriteLock(); }
    }
}
