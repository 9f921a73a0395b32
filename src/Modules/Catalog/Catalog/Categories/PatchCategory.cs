using System.Text.Json;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.Web;

namespace Monolith.Modules.Catalog.Categories;

/// <summary>JSON Merge Patch into the current category, then validated and written like a PUT.</summary>
internal sealed record PatchCategoryCommand(string Id, long? ExpectedVersion, JsonObject Patch) : ICommand<CategoryResponse>;

internal sealed class PatchCategoryHandler(CatalogDb db, IMediator mediator, IOptions<JsonOptions> json)
    : ICommandHandler<PatchCategoryCommand, CategoryResponse>
{
    public async ValueTask<CategoryResponse> Handle(PatchCategoryCommand command, CancellationToken ct)
    {
        var current = await CategoryGuards.LoadLiveAsync(db, command.Id, ct);
        if (command.ExpectedVersion is { } expected && expected != current.Version)
        {
            throw AppException.PreconditionFailed();
        }

        var options = json.Value.SerializerOptions;
        var merged = MergePatch.Apply(JsonSerializer.SerializeToNode(current.ToInput(), options), command.Patch);
        var input = merged.Deserialize<CategoryInput>(options)
            ?? throw new AppException(400, ErrorCodes.MalformedJson, "The patch removes the whole category.");
        return await mediator.Send(new ReplaceCategoryCommand(command.Id, current.Version, input), ct);
    }
}
