using Mediator;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Catalog.Domain;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.SoftDelete;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Catalog.Categories;

internal sealed record RestoreCategoryCommand(string Id) : ICommand<CategoryResponse>;

internal sealed class RestoreCategoryHandler(CatalogDb db, IFusionCache cache, TimeProvider clock)
    : ICommandHandler<RestoreCategoryCommand, CategoryResponse>
{
    public async ValueTask<CategoryResponse> Handle(RestoreCategoryCommand command, CancellationToken ct)
    {
        if (!ObjectId.TryParse(command.Id, out _))
        {
            throw AppException.NotFound("Category", command.Id);
        }

        var byId = Builders<Category>.Filter.Eq(c => c.Id, command.Id);
        var restored = await db.Categories.FindOneAndUpdateAsync(
            byId & SoftDelete.Deleted<Category>(),
            Builders<Category>.Update.Set(SoftDelete.Field, BsonNull.Value).Set(c => c.UpdatedAt, clock.GetUtcNow()).Inc(c => c.Version, 1),
            new FindOneAndUpdateOptions<Category> { ReturnDocument = ReturnDocument.After },
            ct);
        if (restored is null)
        {
            var live = await db.Categories.Find(byId).FirstOrDefaultAsync(ct);
            return live?.ToResponse() ?? throw AppException.NotFound("Category", command.Id);
        }

        await CategoryGuards.InvalidateAsync(cache, command.Id, ct);
        return restored.ToResponse();
    }
}
