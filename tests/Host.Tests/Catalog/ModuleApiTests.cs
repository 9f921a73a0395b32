using Microsoft.Extensions.DependencyInjection;
using Monolith.Host.Tests.Support;
using Monolith.Modules.Catalog.Contracts;

namespace Monolith.Host.Tests.Catalog;

/// <summary>What other modules get through ICatalogModuleApi.</summary>
public sealed class ModuleApiTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    [Fact]
    public async Task Other_modules_can_read_a_product_snapshot_and_get_null_for_a_missing_one()
    {
        var product = await app.Writer().CreateProductAsync(CatalogApi.Product(name: "Snapshot me", price: 12.5m));
        await using var scope = app.Services.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<ICatalogModuleApi>();

        var snapshot = await api.GetProductAsync((string)product["id"]!, TestContext.Current.CancellationToken);
        Assert.NotNull(snapshot);
        Assert.Equal("Snapshot me", snapshot.Name);
        Assert.Equal(12.5m, snapshot.PriceAmount);
        Assert.Equal("active", snapshot.Status);

        Assert.Null(await api.GetProductAsync("65f000000000000000000000", TestContext.Current.CancellationToken));
    }
}
