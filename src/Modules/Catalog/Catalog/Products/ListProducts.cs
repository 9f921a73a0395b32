using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using FluentValidation;
using Mediator;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Modules.Catalog.Domain;
using Monolith.Shared.Infrastructure.Web;
using ZiggyCreatures.Caching.Fusion;

namespace Monolith.Modules.Catalog.Products;

/// <summary>
/// Filtered, sorted, keyset-paginated product list. The cursor holds the last item's sort value and id, so inserts
/// between page requests never make an item appear twice or be skipped.
/// </summary>
internal sealed record ListProductsQuery(
    string? CategoryId,
    string? Tag,
    string? Status,
    decimal? MinPrice,
    decimal? MaxPrice,
    string? Q,
    string? Sort,
    int? Limit,
    string? Cursor,
    bool PublicOnly) : IQuery<ProductPage>;

internal sealed record ProductCursor(string S, string V, string I);

internal sealed class ListProductsValidator : AbstractValidator<ListProductsQuery>
{
    public ListProductsValidator()
    {
        RuleFor(q => q.CategoryId).Must(id => id is null || ObjectId.TryParse(id, out _)).WithMessage("Not a category id.");
        RuleFor(q => q.Tag).MaximumLength(40);
        RuleFor(q => q.Status).Must(s => s is null || Enum.TryParse<ProductStatus>(s, ignoreCase: true, out _))
            .WithMessage("Status is one of draft, active, archived.");
        RuleFor(q => q.MinPrice).GreaterThanOrEqualTo(0);
        RuleFor(q => q.MaxPrice).GreaterThanOrEqualTo(q => q.MinPrice ?? 0).WithMessage("maxPrice must not be below minPrice.");
        RuleFor(q => q.Q).MaximumLength(100);
        RuleFor(q => q.Sort).Must(s => s is null || ProductSorts.Fields.ContainsKey(s.TrimStart('-')))
            .WithMessage("Sort is createdAt, price or name, with '-' for descending (e.g. -price).");
        RuleFor(q => q.Limit).InclusiveBetween(1, Pagination.MaxLimit);
        RuleFor(q => q.Cursor).Must((q, c) => c is null || ProductSorts.TryDecode(c, q.Sort, out _))
            .WithMessage("The cursor is invalid or belongs to another sort.");
    }
}

internal static class ProductSorts
{
    public const string Default = "-createdAt";

    public static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["createdAt"] = "createdAt",
        ["price"] = "price.amount",
        ["name"] = "nameKey",
    };

    public static bool TryDecode(string cursor, string? sort, out ProductCursor? position) =>
        Pagination.TryDecode(cursor, out position) && position!.S == (sort ?? Default) && ObjectId.TryParse(position.I, out _);

    public static BsonValue Value(string field, string raw) => field switch
    {
        "createdAt" => new BsonDateTime(long.Parse(raw, CultureInfo.InvariantCulture)),
        "price.amount" => new BsonDecimal128(decimal.Parse(raw, CultureInfo.InvariantCulture)),
        _ => new BsonString(raw),
    };

    public static string Raw(string field, ProductResponse p) => field switch
    {
        "createdAt" => p.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        "price.amount" => p.Price.Amount.ToString(CultureInfo.InvariantCulture),
        _ => p.Name.ToLowerInvariant(),
    };
}

internal sealed class ListProductsHandler(CatalogDb db, IFusionCache cache) : IQueryHandler<ListProductsQuery, ProductPage>
{
    private static readonly TimeSpan ListDuration = TimeSpan.FromSeconds(30);

    public async ValueTask<ProductPage> Handle(ListProductsQuery query, CancellationToken ct) =>
        await cache.GetOrSetAsync(
            ProductCache.ListKey(Normalize(query)),
            async token => await LoadAsync(query, token),
            // The defaults with a shorter duration: a bare new FusionCacheEntryOptions would drop the Redis timeouts and
            // background writes, so a list read would wait on a slow or hung Redis.
            cache.CreateEntryOptions(duration: ListDuration),
            tags: [ProductCache.ListsTag],
            token: ct);

    private async Task<ProductPage> LoadAsync(ListProductsQuery query, CancellationToken ct)
    {
        var sort = query.Sort ?? ProductSorts.Default;
        var descending = sort.StartsWith('-');
        var field = ProductSorts.Fields[sort.TrimStart('-')];
        var limit = query.Limit ?? Pagination.DefaultLimit;

        if (query.PublicOnly && query.Status is not null &&
            Enum.Parse<ProductStatus>(query.Status, ignoreCase: true) != ProductStatus.Active)
        {
            return new ProductPage([], null, false); // anonymous callers only ever see active products
        }

        var filter = BuildFilter(query);
        if (query.Cursor is not null && ProductSorts.TryDecode(query.Cursor, query.Sort, out var cursor))
        {
            var op = descending ? "$lt" : "$gt";
            var value = ProductSorts.Value(field, cursor!.V);
            filter.Add("$or", new BsonArray
            {
                new BsonDocument(field, new BsonDocument(op, value)),
                new BsonDocument { { field, value }, { "_id", new BsonDocument(op, ObjectId.Parse(cursor.I)) } },
            });
        }

        var direction = descending ? -1 : 1;
        var items = await db.Products
            .Find(filter)
            .Sort(new BsonDocument { { field, direction }, { "_id", direction } })
            .Limit(limit + 1)
            .ToListAsync(ct);

        var hasMore = items.Count > limit;
        var page = items.Take(limit).Select(p => p.ToResponse()).ToList();
        var next = hasMore ? Pagination.Encode(new ProductCursor(sort, ProductSorts.Raw(field, page[^1]), page[^1].Id)) : null;
        return new ProductPage(page, next, hasMore);
    }

    /// <summary>One flat document, one condition per field: simple for any planner to serve from an index.</summary>
    internal static BsonDocument BuildFilter(ListProductsQuery query)
    {
        var and = new BsonDocument { { "deletedAt", BsonNull.Value } };
        if (query.Status is not null)
        {
            and.Add("status", Enum.Parse<ProductStatus>(query.Status, ignoreCase: true).ToString());
        }
        else if (query.PublicOnly)
        {
            and.Add("status", nameof(ProductStatus.Active));
        }

        if (query.CategoryId is not null)
        {
            and.Add("categoryId", ObjectId.Parse(query.CategoryId));
        }

        if (!string.IsNullOrEmpty(query.Tag))
        {
            and.Add("tags", query.Tag.ToLowerInvariant());
        }

        if (query.MinPrice is not null || query.MaxPrice is not null)
        {
            var range = new BsonDocument();
            if (query.MinPrice is { } min)
            {
                range.Add("$gte", new BsonDecimal128(min));
            }

            if (query.MaxPrice is { } max)
            {
                range.Add("$lte", new BsonDecimal128(max));
            }

            and.Add("price.amount", range);
        }

        if (!string.IsNullOrEmpty(query.Q))
        {
            // Anchored prefix on the lower-cased name: an index range scan, never a collection scan.
            and.Add("nameKey", new BsonRegularExpression("^" + Regex.Escape(query.Q.ToLowerInvariant())));
        }

        return and;
    }

    private static string Normalize(ListProductsQuery q)
    {
        var text = string.Join('|', q.PublicOnly, q.CategoryId, q.Tag?.ToLowerInvariant(), q.Status?.ToLowerInvariant(),
            q.MinPrice?.ToString(CultureInfo.InvariantCulture), q.MaxPrice?.ToString(CultureInfo.InvariantCulture),
            q.Q?.ToLowerInvariant(), q.Sort ?? ProductSorts.Default, q.Limit ?? Pagination.DefaultLimit, q.Cursor);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}
