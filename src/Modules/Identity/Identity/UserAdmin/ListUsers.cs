using System.Text.RegularExpressions;
using FluentValidation;
using Mediator;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Infrastructure.Web;

namespace Monolith.Modules.Identity.UserAdmin;

/// <summary>
/// Users in id order, keyset-paginated (ADR 0005); optionally only those in a role (index <c>roles_id</c>), whose email
/// starts with <c>q</c>, or (with <c>deleted=true</c>) only soft-deleted ones, which can be restored.
/// </summary>
internal sealed record ListUsersQuery(string? Role, string? Q, bool Deleted, int? Limit, string? Cursor) : IQuery<UserPage>;

internal sealed class ListUsersValidator : AbstractValidator<ListUsersQuery>
{
    public ListUsersValidator()
    {
        RuleFor(q => q.Role).MaximumLength(64);
        RuleFor(q => q.Q).MaximumLength(256);
        RuleFor(q => q.Limit).InclusiveBetween(1, Pagination.MaxLimit);
        RuleFor(q => q.Cursor).Must(IdCursor.IsValid).WithMessage("The cursor is invalid.");
    }
}

internal sealed class ListUsersHandler(IdentityDb db, TimeProvider clock) : IQueryHandler<ListUsersQuery, UserPage>
{
    public async ValueTask<UserPage> Handle(ListUsersQuery query, CancellationToken ct)
    {
        var limit = query.Limit ?? Pagination.DefaultLimit;
        var filter = new BsonDocument("deletedAt", query.Deleted ? new BsonDocument("$ne", BsonNull.Value) : BsonNull.Value);
        if (!string.IsNullOrWhiteSpace(query.Role))
        {
            // Stored roles keep the role's own spelling; find it so "Admin" lists the members of "admin".
            var role = await db.Roles.Find(r => r.NormalizedName == query.Role.Trim().ToUpperInvariant()).FirstOrDefaultAsync(ct);
            filter.Add("roles", role?.Name ?? query.Role.Trim());
        }

        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            filter.Add("normalizedEmail", new BsonRegularExpression("^" + Regex.Escape(query.Q.Trim().ToUpperInvariant())));
        }

        if (IdCursor.Decode(query.Cursor) is { } after)
        {
            filter.Add("_id", new BsonDocument("$gt", after));
        }

        var items = await db.Users.Find(filter).Sort(new BsonDocument("_id", 1)).Limit(limit + 1).ToListAsync(ct);
        var hasMore = items.Count > limit;
        var page = items.Take(limit).ToList();
        var now = clock.GetUtcNow();
        return new UserPage(page.Select(u => u.ToResponse(now)).ToList(), hasMore ? IdCursor.Encode(page[^1].Id) : null, hasMore);
    }
}
