using System.Collections.Concurrent;
using MongoDB.Bson;

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
            var store = new CollectionStore(database, collection, options) { Changes = Changes };
            collections[collection] = store;
            return store;
        }
    }

    public bool Drop(string database, string collection)
    {
        lock (_catalogLock)
        {
            if (!_databases.TryGetValue(database, out var collections) || !collections.TryRemove(collection, out var store)) return false;
            store.Lock.EnterWriteLock();
            try { store.Truncate(); }
            finally { store.Lock.ExitWriteLock(); }
            Changes?.Record("drop", database, collection);
            return true;
        }
    }

    public bool DropDatabase(string database)
    {
        lock (_catalogLock)
        {
            if (!_databases.TryRemove(database, out var collections)) return false;
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
            if (Find(toDb, to) is not null)
            {
                if (!dropTarget) throw MongoError.NamespaceExists("target namespace exists");
                _databases[toDb].TryRemove(to, out _);
            }
            _databases[fromDb].TryRemove(from, out _);
            source.Rename(toDb, to);
            Changes?.Record("rename", fromDb, from, toDatabase: toDb, toCollection: to);
            _databases.GetOrAdd(toDb, _ => new ConcurrentDictionary<string, CollectionStore>(StringComparer.Ordinal))[to] = source;
        }
    }

    /// <summary>Swaps a fully built temporary collection in place of the target ($out).</summary>
    public void ReplaceWith(string database, string collection, CollectionStore replacement)
    {
        replacement.Changes = Changes;
        lock (_catalogLock)
        {
            var collections = _databases.GetOrAdd(database, _ => new ConcurrentDictionary<string, CollectionStore>(StringComparer.Ordinal));
            collections[collection] = replacement;
        }
    }

    public IEnumerable<(string Database, CollectionStore Collection)> AllCollections() =>
        _databases.SelectMany(d => d.Value.Values.Select(c => (d.Key, c)));
}
