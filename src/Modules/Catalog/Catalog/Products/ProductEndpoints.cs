using System.ComponentModel;
using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Monolith.Modules.Catalog.Contracts;
using Monolith.Shared.Infrastructure.Caching;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.Idempotency;
using Monolith.Shared.Infrastructure.Security;
using Monolith.Shared.Infrastructure.Web;

namespace Monolith.Modules.Catalog.Products;

internal static class ProductEndpoints
{
    private static readonly TimeSpan PublicMaxAge = TimeSpan.FromSeconds(30);

    public static RouteGroupBuilder MapProducts(this IEndpointRouteBuilder catalog)
    {
        var products = catalog.MapGroup("/products");

        products.MapGet("", ListProducts).WithName("ListProducts")
            .WithSummary("List products (filters, sort, cursor pagination)")
            .RequireRateLimiting(CatalogModule.ReadPolicy);
        products.MapGet("/{id}", GetProduct).WithName("GetProduct").WithIfNoneMatch()
            .WithSummary("Get a product by id").Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(CatalogModule.ReadPolicy);
        products.MapPost("", CreateProduct).WithName("CreateProduct")
            .WithSummary("Create a product (supports Idempotency-Key)")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireAuthorization(CatalogPermissions.Write).RequireRateLimiting(CatalogModule.WritePolicy).WithIdempotency();
        products.MapPut("/{id}", ReplaceProduct).WithName("ReplaceProduct").WithIfMatch()
            .WithSummary("Replace a product (If-Match required)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireAuthorization(CatalogPermissions.Write).RequireRateLimiting(CatalogModule.WritePolicy);
        products.MapPatch("/{id}", PatchProduct).WithName("PatchProduct").WithIfMatch()
            .WithSummary("Change some fields of a product (JSON Merge Patch, If-Match required)")
            .Accepts<ProductInput>(MergePatch.MediaType)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireAuthorization(CatalogPermissions.Write).RequireRateLimiting(CatalogModule.WritePolicy);
        products.MapDelete("/{id}", DeleteProduct).WithName("DeleteProduct").WithIfMatch()
            .WithSummary("Delete a product (soft; If-Match required)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireAuthorization(CatalogPermissions.Write).RequireRateLimiting(CatalogModule.WritePolicy);
        products.MapPost("/{id}/restore", RestoreProduct).WithName("RestoreProduct")
            .WithSummary("Restore a soft-deleted product").ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(CatalogPermissions.Write).RequireRateLimiting(CatalogModule.WritePolicy);
        return products;
    }

    internal sealed record ListProductsParameters(
        [property: FromQuery(Name = "categoryId"), Description("Only products of this category.")] string? CategoryId,
        [property: FromQuery(Name = "tag"), Description("Only products with this tag.")] string? Tag,
        [property: FromQuery(Name = "status"), Description("draft, active or archived (anonymous callers see active only).")] string? Status,
        [property: FromQuery(Name = "minPrice"), Description("Lowest price amount, inclusive.")] decimal? MinPrice,
        [property: FromQuery(Name = "maxPrice"), Description("Highest price amount, inclusive.")] decimal? MaxPrice,
        [property: FromQuery(Name = "q"), Description("Name prefix, case-insensitive.")] string? Q,
        [property: FromQuery(Name = "sort"), Description("createdAt, price or name; prefix '-' for descending. Default -createdAt.")] string? Sort,
        [property: FromQuery(Name = "limit"), Description("Page size, 1-100, default 20.")] int? Limit,
        [property: FromQuery(Name = "cursor"), Description("The nextCursor of the previous page.")] string? Cursor);

    private static async Task<Ok<ProductPage>> ListProducts(
        [AsParameters] ListProductsParameters p, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var page = await mediator.Send(new ListProductsQuery(p.CategoryId, p.Tag, p.Status, p.MinPrice, p.MaxPrice, p.Q, p.Sort,
            p.Limit, p.Cursor, PublicOnly: !CanSeeUnpublished(http.User)), ct);
        Pagination.SetNextLink(http, page.NextCursor);
        CacheControl.ForRead(http, PublicMaxAge);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<ProductResponse>, StatusCodeHttpResult>> GetProduct(
        string id, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var product = await mediator.Send(new GetProductQuery(id), ct);
        if (product is null || (product.Status != Domain.ProductStatus.Active && !CanSeeUnpublished(http.User)))
        {
            throw AppException.NotFound("Product", id);
        }

        ETags.Set(http.Response, product.Version);
        CacheControl.ForRead(http, PublicMaxAge);
        return ETags.IfNoneMatchHits(http.Request, product.Version)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(product);
    }

    private static async Task<Created<ProductResponse>> CreateProduct(
        ProductInput body, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var product = await mediator.Send(new CreateProductCommand(body), ct);
        ETags.Set(http.Response, product.Version);
        CacheControl.NoStore(http.Response);
        return TypedResults.Created($"{http.Request.PathBase}{http.Request.Path.Value?.TrimEnd('/')}/{product.Id}", product);
    }

    private static async Task<Ok<ProductResponse>> ReplaceProduct(
        string id, ProductInput body, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var expected = ETags.RequireIfMatch(http.Request);
        var product = await mediator.Send(new ReplaceProductCommand(id, expected, body), ct);
        ETags.Set(http.Response, product.Version);
        CacheControl.NoStore(http.Response);
        return TypedResults.Ok(product);
    }

    private static async Task<Ok<ProductResponse>> PatchProduct(string id, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var expected = ETags.RequireIfMatch(http.Request);
        var patch = await MergePatch.ReadAsync(http.Request, ct);
        var product = await mediator.Send(new PatchProductCommand(id, expected, patch), ct);
        ETags.Set(http.Response, product.Version);
        CacheControl.NoStore(http.Response);
        return TypedResults.Ok(product);
    }

    private static async Task<NoContent> DeleteProduct(string id, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var expected = ETags.RequireIfMatch(http.Request);
        await mediator.Send(new DeleteProductCommand(id, expected), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ProductResponse>> RestoreProduct(string id, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var product = await mediator.Send(new RestoreProductCommand(id), ct);
        ETags.Set(http.Response, product.Version);
        CacheControl.NoStore(http.Response);
        return TypedResults.Ok(product);
    }

    private static bool CanSeeUnpublished(ClaimsPrincipal user) =>
        user.HasClaim(Permissions.ClaimType, CatalogPermissions.Read) || user.HasClaim(Permissions.ClaimType, CatalogPermissions.Write);
}
