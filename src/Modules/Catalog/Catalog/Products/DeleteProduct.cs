using Mediator;
using MongoDB.Driver;
using Monolith.Modules.Catalog.Contracts;
using Monolith.Modules.Catalog.Domain;
using Monolith.Shared.Abstractions.Events;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.SoftDelete;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Catalog.Products;

/// <summary>Soft delete: the product disappears from reads and lists and can be restored until it is purged.</summary>
internal sealed record DeleteProductCommand(string Id, long? ExpectedVersion) : ICommand;

internal sealed class DeleteProductHandler(CatalogDb db, IFusionCache cache, IIntegrationEventPublisher events, TimeProvider clock)
    : ICommandHandler<DeleteProductCommand>
{
    public async ValueTask<Unit> Handle(DeleteProductCommand command, CancellationToken ct)
    {
        if (!MongoDB.Bson.ObjectId.TryParse(command.Id, out _))
        {
            throw AppException.NotFound("Product", command.Id);
        }

        var now = clock.GetUtcNow();
        var live = Builders<Product>.Filter.Eq(p => p.Id, command.Id) & SoftDelete.Live<Product>();
        var filter = command.ExpectedVersion is { } expected ? live & Builders<Product>.Filter.Eq(p => p.Version, expected) : live;
        var result = await db.Products.UpdateOneAsync(filter, Builders<Product>.Update
            .Set(p => p.DeletedAt, now).Set(p => p.UpdatedAt, now).Inc(p => p.Version, 1), cancellationToken: ct);
        if (result.MatchedCount == 0)
        {
            var exists = await db.Products.Find(live).Limit(1).AnyAsync(ct);
            throw exists ? AppException.PreconditionFailed() : AppException.NotFound("Product", command.Id);
        }

        await ProductCache.InvalidateAsync(cache, command.Id, ct);
        await events.PublishAsync(new ProductDeleted(Guid.NewGuid(), now, command.Id), ct);
        return Unit.Value;
    }
}
