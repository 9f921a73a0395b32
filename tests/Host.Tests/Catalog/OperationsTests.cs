using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Host.Tests.Support;
using Monolith.Shared.Infrastructure.Migrations;
using Monolith.Shared.Infrastructure.Modules;
using Monolith.Shared.Infrastructure.SoftDelete;

namespace Monolith.Host.Tests.Catalog;

/// <summary>Migrations, seeding and the soft-delete purge: what the operator commands run.</summary>
public sealed class OperationsTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<string>> IndexNamesAsync(string collection) =>
        (await (await app.Database.GetCollection<BsonDocument>(collection).Indexes.ListAsync(Ct)).ToListAsync(Ct))
        .Select(i => i["name"].AsString).ToList();

    [Fact]
    public async Task Migrations_apply_on_start_record_their_versions_and_go_down_and_up_again()
    {
        var runner = app.Services.GetRequiredService<MigrationRunner>();
        var status = await runner.StatusAsync("catalog", Ct);
        Assert.Equal([1, 2, 3], status.Select(s => s.Version));
        Assert.All(status, s => Assert.NotNull(s.AppliedAt));
        Assert.Contains("sku_unique", await IndexNamesAsync("catalog.products"));

        var reverted = await runner.DownAsync("catalog", 1, Ct);
        Assert.Equal([3, 2], reverted.Select(r => r.Version));
        Assert.DoesNotContain("slug_unique", await IndexNamesAsync("catalog.categories"));
        Assert.Equal([true, false, false], (await runner.StatusAsync("catalog", Ct)).Select(s => s.AppliedAt is not null));

        var applied = await runner.UpAsync("catalog", null, Ct);
        Assert.Equal([2, 3], applied.Select(a => a.Version));
        Assert.Contains("slug_unique", await IndexNamesAsync("catalog.categories"));
        Assert.Empty(await runner.UpAsync(null, null, Ct));
    }

    [Fact]
    public async Task An_unknown_module_is_refused()
    {
        var runner = app.Services.GetRequiredService<MigrationRunner>();
        await Assert.ThrowsAsync<ArgumentException>(() => runner.StatusAsync("nope", Ct));
    }

    [Fact]
    public async Task Seeding_is_idempotent()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var seeder = Assert.Single(scope.ServiceProvider.GetServices<IModuleSeeder>(), s => s.Module == "catalog");
        var first = await seeder.SeedAsync(Ct);
        var second = await seeder.SeedAsync(Ct);
        Assert.True(first >= 200, $"first run inserted {first}");
        Assert.Equal(0, second);
        var page = await (await app.Anonymous().GetAsync($"{CatalogApi.Products}?limit=100", Ct)).BodyAsync();
        Assert.NotEmpty(page["data"]!.AsArray());
    }

    [Fact]
    public async Task The_purge_removes_soft_deleted_documents_past_retention_so_they_cannot_be_restored()
    {
        var product = await app.Writer().CreateProductAsync(CatalogApi.Product());
        var url = $"{CatalogApi.Products}/{product["id"]}";
        using var delete = new HttpRequestMessage(HttpMethod.Delete, url);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Writer().SendAsync(delete.WithIfMatch("\"1\""), Ct)).StatusCode);

        var purger = app.Services.GetRequiredService<SoftDeletePurger>();
        Assert.Equal(0, await purger.PurgeAsync(Ct)); // within the 30-day retention nothing goes
        Assert.True(await purger.PurgeAsync(Ct, retention: TimeSpan.Zero) >= 1);

        await (await app.Writer().PostAsync($"{url}/restore", null, Ct)).ProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
