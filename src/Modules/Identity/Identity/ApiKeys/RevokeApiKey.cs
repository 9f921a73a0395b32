using Mediator;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Infrastructure.Errors;

namespace Monolith.Modules.Identity.ApiKeys;

/// <summary>Revokes a key (idempotent) and drops it from the lookup cache, so the next request with it gets 401.</summary>
internal sealed record RevokeApiKeyCommand(string Id) : ICommand;

internal sealed class RevokeApiKeyHandler(ApiKeyStore store, TimeProvider clock) : ICommandHandler<RevokeApiKeyCommand>
{
    public async ValueTask<Unit> Handle(RevokeApiKeyCommand command, CancellationToken ct)
    {
        if (!ObjectId.TryParse(command.Id, out _))
        {
            throw AppException.NotFound("API key", command.Id);
        }

        var filter = Builders<ApiKey>.Filter;
        await store.Keys.UpdateOneAsync(filter.Eq(k => k.Id, command.Id) & filter.Eq(k => k.RevokedAt, null),
            Builders<ApiKey>.Update.Set(k => k.RevokedAt, clock.GetUtcNow()), cancellationToken: ct);
        var key = await store.Keys.Find(k => k.Id == command.Id).FirstOrDefaultAsync(ct)
            ?? throw AppException.NotFound("API key", command.Id);
        await store.ForgetAsync(key.Prefix, ct);
        return Unit.Value;
    }
}
