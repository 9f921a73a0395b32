using Mediator;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Catalog.Contracts;
using Monolith.Modules.Catalog.Domain;
using Monolith.Shared.Abstractions.Events;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.SoftDelete;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Catalog.Products;

/// <summary>Undoes a soft delete; restoring a live product is a no-op that returns it.</summary>
internal sealed record RestoreProductCommand(string Id) : ICommand<ProductResponse>;

internal sealed class RestoreProductHandler(CatalogDb db, IFusionCache cache, IIntegrationEventPublisher events, TimeProvider clock)
    : ICommandHandler<RestoreProductCommand, ProductResponse>
{
    public async ValueTask<ProductResponse> Handle(RestoreProductCommand command, CancellationToken ct)
    {
        if (!ObjectId.TryParse(command.Id, out _))
        {
            throw AppException.NotFound("Product", command.Id);
        }

        var now = clock.GetUtcNow();
        var byId = Builders<Product>.Filter.Eq(p => p.Id, command.Id);
        var restored = await db.Products.FindOneAndUpdateAsync(
            byId & SoftDelete.Deleted<Product>(),
            Builders<Product>.Update.Set(SoftDelete.Field, BsonNull.Value).Set(p => p.UpdatedAt, now).Inc(p => p.Version, 1),
            new FindOneAndUpdateOptions<Product> { ReturnDocument = ReturnDocument.After },
            ct);
        if (restored is null)
        {
            var live = await db.Products.Find(byId).FirstOrDefaultAsync(ct);
            return live?.ToResponse() ?? throw AppException.NotFound("Product", command.Id);
        }

        await ProductCache.InvalidateAsync(cache, command.Id, ct);
        await events.PublishAsync(new ProductRestored(Guid.NewGuid(), now, command.Id), ct);
        return restored.ToResponse();
    }
}
