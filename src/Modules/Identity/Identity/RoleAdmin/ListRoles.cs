using FluentValidation;
using Mediator;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Identity.Common;
using Monolith.Shared.Infrastructure.Web;

namespace Monolith.Modules.Identity.RoleAdmin;

/// <summary>Roles in id (creation) order, keyset-paginated.</summary>
internal sealed record ListRolesQuery(int? Limit, string? Cursor) : IQuery<RolePage>;

internal sealed class ListRolesValidator : AbstractValidator<ListRolesQuery>
{
    public ListRolesValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Pagination.MaxLimit);
        RuleFor(q => q.Cursor).Must(IdCursor.IsValid).WithMessage("The cursor is invalid.");
    }
}

internal sealed class ListRolesHandler(IdentityDb db) : IQueryHandler<ListRolesQuery, RolePage>
{
    public async ValueTask<RolePage> Handle(ListRolesQuery query, CancellationToken ct)
    {
        var limit = query.Limit ?? Pagination.DefaultLimit;
        var filter = IdCursor.Decode(query.Cursor) is { } after ? new BsonDocument("_id", new BsonDocument("$gt", after)) : new BsonDocument();
        var items = await db.Roles.Find(filter).Sort(new BsonDocument("_id", 1)).Limit(limit + 1).ToListAsync(ct);
        var hasMore = items.Count > limit;
        var page = items.Take(limit).ToList();
        return new RolePage(page.Select(r => r.ToResponse()).ToList(), hasMore ? IdCursor.Encode(page[^1].Id) : null, hasMore);
    }
}
