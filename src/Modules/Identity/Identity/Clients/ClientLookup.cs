using MongoDB.Driver;
using Monolith.Modules.Identity.OpenId;
using Monolith.Modules.Identity.OpenId.Stores;
using Monolith.Shared.Infrastructure.Errors;

namespace Monolith.Modules.Identity.Clients;

internal static class ClientLookup
{
    public static async Task<OidcApplication> FindAsync(OidcDb db, string clientId, CancellationToken ct) =>
        await db.Applications.Find(a => a.ClientId == clientId).FirstOrDefaultAsync(ct)
        ?? throw AppException.NotFound("Client", clientId);
}
