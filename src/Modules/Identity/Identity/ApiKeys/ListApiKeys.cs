using FluentValidation;
using Mediator;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Identity.Common;
using Monolith.Modules.Identity.Domain;
using Monolith.Shared.Infrastructure.Web;

namespace Monolith.Modules.Identity.ApiKeys;

/// <summary>API keys, newest first, keyset-paginated on <c>_id</c>; revoked and expired keys included.</summary>
internal sealed record ListApiKeysQuery(int? Limit, string? Cursor) : IQuery<ApiKeyPage>;

internal sealed class ListApiKeysValidator : AbstractValidator<ListApiKeysQuery>
{
    public ListApiKeysValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Pagination.MaxLimit);
        RuleFor(q => q.Cursor).Must(IdCursor.IsValid).WithMessage("The cursor is invalid.");
    }
}

internal sealed class ListApiKeysHandler(ApiKeyStore store) : IQueryHandler<ListApiKeysQuery, ApiKeyPage>
{
    public async ValueTask<ApiKeyPage> Handle(ListApiKeysQuery query, CancellationToken ct)
    {
        var limit = query.Limit ?? Pagination.DefaultLimit;
        var filter = IdCursor.Decode(query.Cursor) is { } after
            ? new BsonDocument("_id", new BsonDocument("$lt", after))
            : new BsonDocument();
        var items = await store.Keys.Find(filter).Sort(new BsonDocument("_id", -1)).Limit(limit + 1).ToListAsync(ct);
        var hasMore = items.Count > limit;
        var page = items.Take(limit).ToList();
        return new ApiKeyPage(page.Select(k => k.ToResponse()).ToList(), hasMore ? IdCursor.Encode(page[^1].Id) : null, hasMore);
    }
}
