using MongoDB.Driver;

namespace Monolith.Shared.Infrastructure.Mongo;

/// <summary>
/// A module's view of the database: it can only name collections inside its own prefix (<c>catalog.products</c>),
/// so one module cannot reach another module's data by accident.
/// </summary>
public sealed class ModuleDatabase(string module, IMongoDatabase database)
{
    public string Module { get; } = module;

    public IMongoDatabase Database { get; } = database;

    public string CollectionName(string name) => $"{Module}.{name}";

    public IMongoCollection<T> Collection<T>(string name) => Database.GetCollection<T>(CollectionName(name));
}
