using Mediator;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Monolith.Modules.Identity.ApiKeys;

internal sealed record GetApiKeyQuery(string Id) : IQuery<ApiKeyResponse?>;

internal sealed class GetApiKeyHandler(ApiKeyStore store) : IQueryHandler<GetApiKeyQuery, ApiKeyResponse?>
{
    public async ValueTask<ApiKeyResponse?> Handle(GetApiKeyQuery query, CancellationToken ct) =>
        ObjectId.TryParse(query.Id, out _)
            ? (await store.Keys.Find(k => k.Id == query.Id).FirstOrDefaultAsync(ct))?.ToResponse()
            : null;
}
