using System.Collections.Concurrent;
using MongoDB.Bson;
using Monolith.EmbeddedMongo.Storage.Durability;
using Monolith.EmbeddedMongo.Storage.Versions;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>The catalog: databases and their collections. Catalog changes are serialised by one lock.</summary>
internal sealed class StorageEngine
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, CollectionStore>> _databases = new(StringComparer.Ordinal);
    private readonly Lock _catalogLock = new();

    /// <summary>The change feed for change streams; null (nothing recorded) outside replica-set mode.</summary>
    public ChangeLog? Changes
    {
        get => _changes;
        set
        {
            _changes = value;
            foreach (var (_, collection) in AllCollections()) collection.Changes = value;
        }
    }

    private ChangeLog? _changes;

    /// <summary>The commit sequence transactions take their snapshots from.</summary>
    public VersionClock Clock { get; } = new();

    /// <summary>Where catalog and collection changes are logged (dbpath mode); null keeps everything in memory only.</summary>
    public Journal? Journal { get; private set; }

    /// <summary>Starts logging every change, once recovery has rebuilt the catalog.</summary>
    public void AttachJournal(Journal journal)
    {
        lock (_catalogLock)
        {
            Journal = journal;
            foreach (var (_, collection) in AllCollections()) collection.Journal = journal;
        }
    }

    public IEnumerable<string> DatabaseNames => _databases.Where(d => !d.Value.IsEmpty).Select(d => d.Key).OrderBy(n => n, StringComparer.Ordinal);

    public IEnumerable<CollectionStore> Collections(string database) =>
        _databases.TryGetValue(database, out var collections) ? collections.Values.OrderBy(c => c.Name, StringComparer.Ordinal) : [];

    public CollectionStore? Find(string database, string collection) =>
        _databases.TryGetValue(database, out var collections) && collections.TryGetValue(collection, out var store) ? store : null;

    public CollectionStore GetOrCreate(string database, string collection) =>
        Find(database, collection) ?? Create(database, collection, [], failIfExists: false);

    public CollectionStore Create(string database, string collection, BsonDocument options, bool failIfExists)
    {
        Names.ValidateCollection(database, collection);
        lock (_catalogLock)
        {
            var collections = _databases.GetOrAdd(database, _ => new ConcurrentDictionary<string, CollectionStore>(StringComparer.Ordinal));
            if (collections.TryGetValue(collection, out var existing))
            {
                if (failIfExists) throw MongoError.NamespaceExists($"Collection {database}.{collection} already exists.");
                return existing;
            }
            var store = new CollectionStore(database, collection, options) { Changes = Changes, Journal = Journal, Clock = Clock };
            using var logged = new JournalScope(Journal);
            collections[collection] = store;
            Journal?.Created(store);
            return store;
        }
    }

    /// <param name="recordChange">False for undoing an aborted transaction's implicit creation (it never showed a change).</param>
    public bool Drop(string database, string collection, bool recordChange = true)
    {
        lock (_catalogLock)
        {
            if (!_databases.TryGetValue(database, out var collections) || !collections.TryGetValue(collection, out var store)) return false;
            store.Lock.EnterWriteLock();
            try
            {
                using (new JournalScope(Journal))
                {
                    collections.TryRemove(collection, out _);
                    store.Journal = null;
                    Journal?.Dropped(database, collection);
                }
                store.Truncate();
            }
            finally { store.Lock.ExitWriteLock(); }
            if (recordChange) Changes?.Record("drop", database, collection);
            return true;
        }
    }

    /// <summary>Drops this very collection if it is still in the catalog, empty and without secondary indexes (an aborted transaction's implicit creation).</summary>
    public bool DropIfEmpty(CollectionStore store)
    {
        lock (_catalogLock)
        {
            if (!ReferenceEquals(Find(store.Database, store.Name), store)) return false;
            store.Lock.EnterReadLock();
            try
            {
                if (store.Count > 0 || store.Indexes.Count > 1) return false;
            }
            finally { store.Lock.ExitReadLock(); }
            return Drop(store.Database, store.Name, recordChange: false);
        }
    }

    public bool DropDatabase(string database)
    {
        lock (_catalogLock)
        {
            if (!_databases.TryGetValue(database, out var collections)) return false;
            // Writers that already hold one of these collections must not log into the dropped database.
            foreach (var store in collections.Values) Detach(store);
            using var logged = new JournalScope(Journal);
            _databases.TryRemove(database, out _);
            Journal?.DatabaseDropped(database);
            foreach (var name in collections.Keys) Changes?.Record("drop", database, name);
            Changes?.Record("dropDatabase", database, null);
            return true;
        }
    }

    public void Rename(string fromDb, string from, string toDb, string to, bool dropTarget)
    {
        Names.ValidateCollection(toDb, to);
        lock (_catalogLock)
        {
            var source = Find(fromDb, from) ?? throw MongoError.NamespaceNotFound("Source collection " + fromDb + "." + from + " does not exist");
            if (Find(toDb, to) is { } target)
            {
                if (!dropTarget) throw MongoError.NamespaceExists("target namespace exists");
                Detach(target);
            }
            source.Lock.EnterWriteLock();
            try
            {
                using var logged = new JournalScope(Journal);
                _databases.TryGetValue(toDb, out var targetDb);
                targetDb?.TryRemove(to, out _);
                _databases[fromDb].TryRemove(from, out _);
                source.Rename(toDb, to);
                _databases.GetOrAdd(toDb, _ => new ConcurrentDictionary<string, CollectionStore>(StringComparer.Ordinal))[to] = source;
                Journal?.Renamed(fromDb, from, toDb, to, dropTarget);
                Changes?.Record("rename", fromDb, from, toDatabase: toDb, toCollection: to);
            }
            finally { source.Lock.ExitWriteLock(); }
        }
    }

    /// <summary>Swaps a fully built temporary collection in place of the target ($out).</summary>
    public void ReplaceWith(string database, string collection, CollectionStore replacement)
    {
        replacement.Changes = Changes;
        replacement.Clock = Clock;
        lock (_catalogLock)
        {
            var collections = _databases.GetOrAdd(database, _ => new ConcurrentDictionary<string, CollectionStore>(StringComparer.Ordinal));
            if (collections.TryGetValue(collection, out var existing)) Detach(existing);
            using var logged = new JournalScope(Journal);
            collections[collection] = replacement;
            replacement.Journal = Journal;
            Journal?.ReplacedWith(database, collection, replacement);
        }
    }

    /// <summary>Stops logging a collection that is leaving the catalog; waits for a write in progress on it.</summary>
    private static void Detach(CollectionStore store)
    {
        if (store.Journal is null) return;
        store.Lock.EnterWriteLock();
        try { store.Journal = null; }
        finally { store.Lock.ExitWriteLock(); }
    }

    public IEnumerable<(string Database, CollectionStore Collection)> AllCollections() =>
        _databases.SelectMany(d => d.Value.Values.Select(c => (d.Key, c)));
}
