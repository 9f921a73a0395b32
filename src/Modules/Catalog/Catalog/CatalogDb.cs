using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using Monolith.Modules.Catalog.Domain;
using Monolith.Shared.Infrastructure.Mongo;

namespace Monolith.Modules.Catalog;

/// <summary>The catalog's collections; nothing else in the database.</summary>
internal sealed class CatalogDb([FromKeyedServices(CatalogModule.Name)] ModuleDatabase database)
{
    public const string ProductsCollection = "products";
    public const string CategoriesCollection = "categories";

    public IMongoCollection<Product> Products { get; } = database.Collection<Product>(ProductsCollection);

    public IMongoCollection<Category> Categories { get; } = database.Collection<Category>(CategoriesCollection);

    public ModuleDatabase Database => database;
}
