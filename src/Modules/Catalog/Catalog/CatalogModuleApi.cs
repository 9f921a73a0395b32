using Mediator;
using Monolith.Modules.Catalog.Contracts;
using Monolith.Modules.Catalog.Products;

namespace Monolith.Modules.Catalog;

internal sealed class CatalogModuleApi(IMediator mediator) : ICatalogModuleApi
{
    public async Task<ProductSnapshot?> GetProductAsync(string productId, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetProductQuery(productId), cancellationToken))?.ToSnapshot();
}
