using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Modules.Catalog.Categories;
using Monolith.Modules.Catalog.Contracts;
using Monolith.Modules.Catalog.Migrations;
using Monolith.Modules.Catalog.Products;
using Monolith.Modules.Catalog.Seeding;
using Monolith.Shared.Infrastructure.Idempotency;
using Monolith.Shared.Infrastructure.Migrations;
using Monolith.Shared.Infrastructure.Modules;
using Monolith.Shared.Infrastructure.Mongo;
using Monolith.Shared.Infrastructure.OpenApi;
using Monolith.Shared.Infrastructure.RateLimiting;
using Monolith.Shared.Infrastructure.Security;
using Monolith.Shared.Infrastructure.SoftDelete;

namespace Monolith.Modules.Catalog;

/// <summary>The catalog module's two entry points; everything else in this assembly is internal.</summary>
public static class CatalogModule
{
    public const string Name = "catalog";
    internal const string ReadPolicy = "catalog-read";
    internal const string WritePolicy = "catalog-write";

    public static void AddCatalogModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDatabase(Name);
        services.AddSingleton<CatalogDb>();
        services.AddScoped<ICatalogModuleApi, CatalogModuleApi>();
        services.AddValidatorsFromAssemblyContaining<CatalogDb>(ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddPermissionPolicies(CatalogPermissions.All);
        services.AddRateLimitPolicy(ReadPolicy, permitLimit: 600, TimeSpan.FromSeconds(10));
        services.AddRateLimitPolicy(WritePolicy, permitLimit: 60, TimeSpan.FromSeconds(10));

        services.AddSingleton<IMigration, M001_ProductIndexes>();
        services.AddSingleton<IMigration, M002_CategoryIndexes>();
        services.AddSingleton<IMigration>(new IdempotencyKeysMigration(Name, 3));
        services.AddSingleton(new SoftDeleteCollection(Name, CatalogDb.ProductsCollection));
        services.AddSingleton(new SoftDeleteCollection(Name, CatalogDb.CategoriesCollection));
        services.AddScoped<IModuleSeeder, CatalogSeeder>();
        services.AddSingleton(new OpenApiTagInfo("Catalog", "Products and categories: public reads of active products, writes need catalog.write."));
    }

    public static void MapCatalogEndpoints(this IEndpointRouteBuilder api)
    {
        var catalog = api.MapGroup("/catalog").WithTags("Catalog").WithMetadata(new ModuleMetadata(Name));
        catalog.MapProducts();
        catalog.MapCategories();
    }
}
