using FluentValidation;
using Mediator;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Catalog.Contracts;
using Monolith.Modules.Catalog.Domain;
using Monolith.Shared.Abstractions.Events;
using Monolith.Shared.Infrastructure.Errors;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Catalog.Products;

internal sealed record CreateProductCommand(ProductInput Body) : ICommand<ProductResponse>;

internal sealed class CreateProductValidator : AbstractValidator<CreateProductCommand>
{
    public CreateProductValidator() => RuleFor(c => c.Body).NotNull().SetValidator(new ProductInputValidator());
}

internal sealed class CreateProductHandler(CatalogDb db, IFusionCache cache, IIntegrationEventPublisher events, TimeProvider clock)
    : ICommandHandler<CreateProductCommand, ProductResponse>
{
    public async ValueTask<ProductResponse> Handle(CreateProductCommand command, CancellationToken ct)
    {
        await ProductGuards.EnsureCategoryExistsAsync(db, command.Body.CategoryId, ct);
        var now = clock.GetUtcNow();
        var product = new Product { Id = ObjectId.GenerateNewId().ToString(), CreatedAt = now, UpdatedAt = now, Version = 1 };
        product.Apply(command.Body);
        try
        {
            await db.Products.InsertOneAsync(product, cancellationToken: ct);
        }
        catch (MongoWriteException e) when (ProductGuards.IsDuplicateKey(e))
        {
            throw AppException.Conflict($"A product with SKU '{product.Sku}' already exists.");
        }

        await ProductCache.InvalidateAsync(cache, product.Id, ct);
        var response = product.ToResponse();
        await events.PublishAsync(new ProductCreated(Guid.NewGuid(), now, product.Id, product.Sku, product.Name,
            product.Price.Amount, product.Price.Currency, response.ToSnapshot().Status), ct);
        return response;
    }
}
