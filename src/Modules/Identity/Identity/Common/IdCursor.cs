using MongoDB.Bson;
using Monolith.Shared.Infrastructure.Web;

namespace Monolith.Modules.Identity.Common;

/// <summary>Keyset position for lists ordered by <c>_id</c> (ADR 0005): the last item's id, opaque to clients.</summary>
internal sealed record IdCursor(string I)
{
    public static bool IsValid(string? cursor) =>
        cursor is null || (Pagination.TryDecode<IdCursor>(cursor, out var c) && ObjectId.TryParse(c!.I, out _));

    public static ObjectId? Decode(string? cursor) =>
        Pagination.TryDecode<IdCursor>(cursor, out var c) && ObjectId.TryParse(c!.I, out var id) ? id : null;

    public static string Encode(string id) => Pagination.Encode(new IdCursor(id));
}
