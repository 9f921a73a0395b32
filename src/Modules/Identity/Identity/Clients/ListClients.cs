using FluentValidation;
using Mediator;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Identity.OpenId;
using Monolith.Modules.Identity.OpenId.Stores;
using Monolith.Shared.Infrastructure.Web;

namespace Monolith.Modules.Identity.Clients;

/// <summary>Clients in creation order, keyset-paginated on the id.</summary>
internal sealed record ListClientsQuery(int? Limit, string? Cursor) : IQuery<ClientPage>;

internal sealed record ClientCursor(string I);

internal sealed class ListClientsValidator : AbstractValidator<ListClientsQuery>
{
    public ListClientsValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Pagination.MaxLimit);
        RuleFor(q => q.Cursor).Must(c => c is null || (Pagination.TryDecode<ClientCursor>(c, out var p) && ObjectId.TryParse(p!.I, out _)))
            .WithMessage("The cursor is invalid.");
    }
}

internal sealed class ListClientsHandler(OidcDb db) : IQueryHandler<ListClientsQuery, ClientPage>
{
    public async ValueTask<ClientPage> Handle(ListClientsQuery query, CancellationToken ct)
    {
        var limit = query.Limit ?? Pagination.DefaultLimit;
        var filter = Builders<OidcApplication>.Filter.Empty;
        if (Pagination.TryDecode<ClientCursor>(query.Cursor, out var after))
        {
            filter = Builders<OidcApplication>.Filter.Gt(a => a.Id, after!.I);
        }

        var page = await db.Applications.Find(filter).SortBy(a => a.Id).Limit(limit + 1).ToListAsync(ct);
        var hasMore = page.Count > limit;
        var items = page.Take(limit).ToList();
        return new ClientPage(
            items.Select(ClientMapping.ToResponse).ToList(),
            hasMore ? Pagination.Encode(new ClientCursor(items[^1].Id)) : null,
            hasMore);
    }
}
