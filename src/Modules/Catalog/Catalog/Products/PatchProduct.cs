using System.Text.Json;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using MongoDB.Driver;
using Monolith.Modules.Catalog.Domain;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.SoftDelete;
using Monolith.Shared.Infrastructure.Web;

namespace Monolith.Modules.Catalog.Products;

/// <summary>
/// PATCH (JSON Merge Patch): the patch is merged into the product's current representation, and the result goes
/// through the same validation and write as a PUT, pinned to the version that was read.
/// </summary>
internal sealed record PatchProductCommand(string Id, long? ExpectedVersion, JsonObject Patch) : ICommand<ProductResponse>;

internal sealed class PatchProductHandler(CatalogDb db, IMediator mediator, IOptions<JsonOptions> json)
    : ICommandHandler<PatchProductCommand, ProductResponse>
{
    public async ValueTask<ProductResponse> Handle(PatchProductCommand command, CancellationToken ct)
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

        var options = json.Value.SerializerOptions;
        var document = JsonSerializer.SerializeToNode(current.ToResponse().ToInput(), options);
        var merged = MergePatch.Apply(document, command.Patch);
        var input = merged.Deserialize<ProductInput>(options)
            ?? throw new AppException(400, ErrorCodes.MalformedJson, "The patch removes the whole product.");
        return await mediator.Send(new ReplaceProductCommand(command.Id, current.Version, input), ct);
    }
}
