using MongoDB.Bson;
using Monolith.EmbeddedMongo.Storage;

namespace Monolith.EmbeddedMongo.Auth;

/// <summary>
/// Users kept where mongod keeps them, in <c>admin.system.users</c>. The collection is put into the catalog
/// directly because the command path refuses <c>system.*</c> names other clients must not create.
/// </summary>
internal sealed class UserStore(StorageEngine storage)
{
    public const string Database = "admin";
    public const string Collection = "system.users";
    private readonly Lock _writeLock = new();

    public bool IsEmpty => storage.Find(Database, Collection) is not { Count: > 0 };

    public StoredUser? Find(string db, string user)
    {
        if (storage.Find(Database, Collection) is not { } store) return null;
        store.Lock.EnterReadLock();
        try
        {
            var recordId = store.FindById(StoredUser.IdOf(db, user));
            return recordId < 0 ? null : StoredUser.FromBson(Documents.FromBytes(store.Get(recordId).Span));
        }
        finally { store.Lock.ExitReadLock(); }
    }

    public IReadOnlyList<StoredUser> All()
    {
        if (storage.Find(Database, Collection) is not { } store) return [];
        store.Lock.EnterReadLock();
        try { return store.All().Select(r => StoredUser.FromBson(Documents.FromBytes(r.Bytes.Span))).OrderBy(u => u.Id, StringComparer.Ordinal).ToList(); }
        finally { store.Lock.ExitReadLock(); }
    }

    /// <summary>Adds a user; <paramref name="onlyIfEmpty"/> makes it the first user or nothing (the localhost exception).</summary>
    public void Insert(StoredUser user, bool onlyIfEmpty = false)
    {
        lock (_writeLock)
        {
            if (onlyIfEmpty && !IsEmpty) throw AuthErrors.RequiresAuthentication("createUser");
            var store = GetOrCreate();
            store.Lock.EnterWriteLock();
            try
            {
                if (store.FindById(user.Id) >= 0) throw AuthErrors.DuplicateUser(user.User, user.Db);
                store.Insert(user.ToBson());
            }
            finally { store.Lock.ExitWriteLock(); }
        }
    }

    public void Replace(StoredUser user)
    {
        lock (_writeLock)
        {
            var store = GetOrCreate();
            store.Lock.EnterWriteLock();
            try
            {
                var recordId = store.FindById(user.Id);
                if (recordId < 0) throw AuthErrors.UserNotFound(user.User, user.Db);
                store.Replace(recordId, Documents.FromBytes(store.Get(recordId).Span), user.ToBson());
            }
            finally { store.Lock.ExitWriteLock(); }
        }
    }

    /// <summary>Removes the users of <paramref name="db"/> that match; returns how many went.</summary>
    public int Delete(string db, Func<StoredUser, bool> match)
    {
        lock (_writeLock)
        {
            if (storage.Find(Database, Collection) is not { } store) return 0;
            store.Lock.EnterWriteLock();
            try
            {
                var doomed = store.All()
                    .Select(r => (r.RecordId, Document: Documents.FromBytes(r.Bytes.Span)))
                    .Where(r => StoredUser.FromBson(r.Document) is var u && u.Db == db && match(u))
                    .ToList();
                foreach (var (recordId, document) in doomed) store.Delete(recordId, document);
                return doomed.Count;
            }
            finally { store.Lock.ExitWriteLock(); }
        }
    }

    private CollectionStore GetOrCreate()
    {
        if (storage.Find(Database, Collection) is { } existing) return existing;
        var store = new CollectionStore(Database, Collection, []);
        storage.ReplaceWith(Database, Collection, store);
        return store;
    }
}
