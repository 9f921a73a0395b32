using Bogus;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Catalog.Domain;
using Monolith.Modules.Catalog.Products;
using Monolith.Shared.Infrastructure.Modules;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Catalog.Seeding;

/// <summary>
/// Demo data: a fixed category tree and products with deterministic SKUs (SEED-0001...). Running it again inserts
/// only what is missing, so it is safe to repeat.
/// </summary>
internal sealed class CatalogSeeder(CatalogDb db, IFusionCache cache, TimeProvider clock) : IModuleSeeder
{
    public const int ProductCount = 200;
    private static readonly string[] CategoryNames = ["Books", "Electronics", "Garden", "Kitchen", "Music", "Outdoors", "Toys", "Tools"];

    public string Module => CatalogModule.Name;

    public async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        var inserted = 0;
        var now = clock.GetUtcNow();
        var categoryIds = new List<string>();
        foreach (var name in CategoryNames)
        {
            var slug = name.ToLowerInvariant();
            var existing = await db.Categories.Find(c => c.Slug == slug).FirstOrDefaultAsync(cancellationToken);
            if (existing is null)
            {
                existing = new Category
                {
                    Id = ObjectId.GenerateNewId().ToString(), Name = name, NameKey = slug, Slug = slug,
                    CreatedAt = now, UpdatedAt = now, Version = 1,
                };
                await db.Categories.InsertOneAsync(existing, cancellationToken: cancellationToken);
                inserted++;
            }

            categoryIds.Add(existing.Id);
        }

        var faker = new Faker { Random = new Randomizer(20_26) };
        var batch = new List<Product>();
        for (var i = 1; i <= ProductCount; i++)
        {
            var name = faker.Commerce.ProductName();
            var description = faker.Commerce.ProductDescription();
            var price = Math.Round(faker.Random.Decimal(1, 500), 2);
            var category = faker.PickRandom(categoryIds);
            var tags = faker.Commerce.Categories(2).Select(t => t.ToLowerInvariant()).Distinct().ToList();
            var stock = faker.Random.Int(0, 1000);
            var status = faker.Random.WeightedRandom([ProductStatus.Active, ProductStatus.Draft, ProductStatus.Archived], [0.8f, 0.15f, 0.05f]);
            var sku = $"SEED-{i:D4}";
            var created = now.AddMinutes(-i);
            batch.Add(new Product
            {
                Id = ObjectId.GenerateNewId().ToString(), Sku = sku, Name = name, NameKey = name.ToLowerInvariant(),
                Description = description, Price = new Money { Amount = price, Currency = "EUR" }, CategoryId = category,
                Tags = tags, Stock = stock, Status = status, CreatedAt = created, UpdatedAt = created, Version = 1,
            });
        }

        // The unique sku index makes this idempotent: products seeded before are refused, the others inserted.
        var added = batch.Count;
        try
        {
            await db.Products.InsertManyAsync(batch, new InsertManyOptions { IsOrdered = false }, cancellationToken);
        }
        catch (MongoBulkWriteException<Product> e) when (e.WriteErrors.All(w => w.Category == ServerErrorCategory.DuplicateKey))
        {
            added -= e.WriteErrors.Count;
        }

        if (added > 0)
        {
            await cache.RemoveByTagAsync(ProductCache.ListsTag, token: cancellationToken);
        }

        return inserted + added;
    }
}
