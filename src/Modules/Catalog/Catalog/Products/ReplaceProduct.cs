using FluentValidation;
using Mediator;
using MongoDB.Driver;
using Monolith.Modules.Catalog.Contracts;
using Monolith.Modules.Catalog.Domain;
using Monolith.Shared.Abstractions.Events;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.SoftDelete;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Catalog.Products;

/// <summary>PUT: replaces every writable field. <paramref name="ExpectedVersion"/> null means If-Match: *.</summary>
internal sealed record ReplaceProductCommand(string Id, long? ExpectedVersion, ProductInput Body) : ICommand<ProductResponse>;

internal sealed class ReplaceProductValidator : AbstractValidator<ReplaceProductCommand>
{
    public ReplaceProductValidator() => RuleFor(c => c.Body).NotNull().SetValidator(new ProductInputValidator());
}

internal sealed class ReplaceProductHandler(CatalogDb db, IFusionCache cache, IIntegrationEventPublisher events, TimeProvider clock)
    : ICommandHandler<ReplaceProductCommand, ProductResponse>
{
    public async ValueTask<ProductResponse> Handle(ReplaceProductCommand command, CancellationToken ct)
    {
        var live = Builders<Product>.Filter.Eq(p => p.Id, command.Id) & SoftDelete.Live<Product>();
        var current = MongoDB.Bson.ObjectId.TryParse(command.Id, out _)
            ? await db.Products.Find(live).FirstOrDefaultAsync(ct)
            : null;
        if (current is null)
        {
            throw AppException.NotFound("Product", command.Id);
        }

        if (command.ExpectedVersion is { } expected && expected != current.Version)
        {
            throw AppException.PreconditionFailed();
        }

        if (command.Body.CategoryId != current.CategoryId)
        {
            await ProductGuards.EnsureCategoryExistsAsync(db, command.Body.CategoryId, ct);
        }

        var readVersion = current.Version;
        current.Apply(command.Body);
        current.Version = readVersion + 1;
        current.UpdatedAt = clock.GetUtcNow();
        ReplaceOneResult result;
        try
        {
            result = await db.Products.ReplaceOneAsync(live & Builders<Product>.Filter.Eq(p => p.Version, readVersion), current, cancellationToken: ct);
        }
        catch (MongoWriteException e) when (ProductGuards.IsDuplicateKey(e))
        {
            throw AppException.Conflict($"A product with SKU '{current.Sku}' already exists.");
        }

        if (result.MatchedCount == 0)
        {
            // Someone else wrote between our read and our write.
            throw AppException.PreconditionFailed();
        }

        await ProductCache.InvalidateAsync(cache, current.Id, ct);
        var response = current.ToResponse();
        var snapshot = response.ToSnapshot();
        await events.PublishAsync(new ProductUpdated(Guid.NewGuid(), current.UpdatedAt, current.Id, current.Version, current.Sku,
            current.Name, current.Price.Amount, current.Price.Currency, snapshot.Status), ct);
        return response;
    }
}
