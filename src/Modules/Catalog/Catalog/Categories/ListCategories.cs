using FluentValidation;
using Mediator;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Shared.Infrastructure.Web;

namespace Monolith.Modules.Catalog.Categories;

/// <summary>Categories by name (then id), keyset-paginated; optionally only the children of one parent.</summary>
internal sealed record ListCategoriesQuery(string? ParentId, int? Limit, string? Cursor) : IQuery<CategoryPage>;

internal sealed record CategoryCursor(string N, string I);

internal sealed class ListCategoriesValidator : AbstractValidator<ListCategoriesQuery>
{
    public ListCategoriesValidator()
    {
        RuleFor(q => q.ParentId).Must(id => id is null || ObjectId.TryParse(id, out _)).WithMessage("Not a category id.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Pagination.MaxLimit);
        RuleFor(q => q.Cursor).Must(c => c is null || (Pagination.TryDecode<CategoryCursor>(c, out var p) && ObjectId.TryParse(p!.I, out _)))
            .WithMessage("The cursor is invalid.");
    }
}

internal sealed class ListCategoriesHandler(CatalogDb db) : IQueryHandler<ListCategoriesQuery, CategoryPage>
{
    public async ValueTask<CategoryPage> Handle(ListCategoriesQuery query, CancellationToken ct)
    {
        var limit = query.Limit ?? Pagination.DefaultLimit;
        var filter = new BsonDocument("deletedAt", BsonNull.Value);
        if (query.ParentId is not null)
        {
            filter.Add("parentId", ObjectId.Parse(query.ParentId));
        }

        if (Pagination.TryDecode<CategoryCursor>(query.Cursor, out var cursor))
        {
            filter.Add("$or", new BsonArray
            {
                new BsonDocument("nameKey", new BsonDocument("$gt", cursor!.N)),
                new BsonDocument { { "nameKey", cursor.N }, { "_id", new BsonDocument("$gt", ObjectId.Parse(cursor.I)) } },
            });
        }

        var items = await db.Categories.Find(filter)
            .Sort(new BsonDocument { { "nameKey", 1 }, { "_id", 1 } })
            .Limit(limit + 1)
            .ToListAsync(ct);
        var hasMore = items.Count > limit;
        var page = items.Take(limit).ToList();
        var next = hasMore ? Pagination.Encode(new CategoryCursor(page[^1].NameKey, page[^1].Id)) : null;
        return new CategoryPage(page.Select(c => c.ToResponse()).ToList(), next, hasMore);
    }
}
