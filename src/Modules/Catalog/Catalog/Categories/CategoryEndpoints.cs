using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Monolith.Modules.Catalog.Contracts;
using Monolith.Shared.Infrastructure.Caching;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.Idempotency;
using Monolith.Shared.Infrastructure.Web;

namespace Monolith.Modules.Catalog.Categories;

internal static class CategoryEndpoints
{
    private static readonly TimeSpan PublicMaxAge = TimeSpan.FromSeconds(60);

    /// <summary>A category is a name, a slug and a parent id: 16 KiB is generous, the 1 MiB default is not needed.</summary>
    private const long MaxCategoryBody = 16 * 1024;

    public static RouteGroupBuilder MapCategories(this IEndpointRouteBuilder catalog)
    {
        var categories = catalog.MapGroup("/categories");

        categories.MapGet("", ListCategories).WithName("ListCategories")
            .WithSummary("List categories by name (cursor pagination)").RequireRateLimiting(CatalogModule.ReadPolicy);
        categories.MapGet("/{id}", GetCategory).WithName("GetCategory").WithIfNoneMatch()
            .WithSummary("Get a category by id").Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(CatalogModule.ReadPolicy);
        categories.MapPost("", CreateCategory).WithName("CreateCategory")
            .WithSummary("Create a category (supports Idempotency-Key)")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireAuthorization(CatalogPermissions.Write).RequireRateLimiting(CatalogModule.WritePolicy).WithIdempotency()
            .WithRequestSizeLimit(MaxCategoryBody);
        categories.MapPut("/{id}", ReplaceCategory).WithName("ReplaceCategory").WithIfMatch()
            .WithSummary("Replace a category (If-Match required)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireAuthorization(CatalogPermissions.Write).RequireRateLimiting(CatalogModule.WritePolicy)
            .WithRequestSizeLimit(MaxCategoryBody);
        categories.MapPatch("/{id}", PatchCategory).WithName("PatchCategory").WithIfMatch()
            .WithSummary("Change some fields of a category (JSON Merge Patch, If-Match required)")
            .Accepts<CategoryInput>(MergePatch.MediaType)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireAuthorization(CatalogPermissions.Write).RequireRateLimiting(CatalogModule.WritePolicy)
            .WithRequestSizeLimit(MaxCategoryBody);
        categories.MapDelete("/{id}", DeleteCategory).WithName("DeleteCategory").WithIfMatch()
            .WithSummary("Delete a category (soft; If-Match required)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireAuthorization(CatalogPermissions.Write).RequireRateLimiting(CatalogModule.WritePolicy);
        categories.MapPost("/{id}/restore", RestoreCategory).WithName("RestoreCategory")
            .WithSummary("Restore a soft-deleted category").ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(CatalogPermissions.Write).RequireRateLimiting(CatalogModule.WritePolicy);
        return categories;
    }

    private static async Task<Ok<CategoryPage>> ListCategories(
        string? parentId, int? limit, string? cursor, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var page = await mediator.Send(new ListCategoriesQuery(parentId, limit, cursor), ct);
        Pagination.SetNextLink(http, page.NextCursor);
        CacheControl.ForRead(http, PublicMaxAge);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<CategoryResponse>, StatusCodeHttpResult>> GetCategory(
        string id, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var category = await mediator.Send(new GetCategoryQuery(id), ct) ?? throw AppException.NotFound("Category", id);
        ETags.Set(http.Response, category.Version);
        CacheControl.ForRead(http, PublicMaxAge);
        return ETags.IfNoneMatchHits(http.Request, category.Version)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(category);
    }

    private static async Task<Created<CategoryResponse>> CreateCategory(
        CategoryInput body, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var category = await mediator.Send(new CreateCategoryCommand(body), ct);
        ETags.Set(http.Response, category.Version);
        CacheControl.NoStore(http.Response);
        return TypedResults.Created($"{http.Request.PathBase}{http.Request.Path.Value?.TrimEnd('/')}/{category.Id}", category);
    }

    private static async Task<Ok<CategoryResponse>> ReplaceCategory(
        string id, CategoryInput body, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var category = await mediator.Send(new ReplaceCategoryCommand(id, ETags.RequireIfMatch(http.Request), body), ct);
        ETags.Set(http.Response, category.Version);
        CacheControl.NoStore(http.Response);
        return TypedResults.Ok(category);
    }

    private static async Task<Ok<CategoryResponse>> PatchCategory(string id, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var expected = ETags.RequireIfMatch(http.Request);
        var patch = await MergePatch.ReadAsync(http.Request, ct);
        var category = await mediator.Send(new PatchCategoryCommand(id, expected, patch), ct);
        ETags.Set(http.Response, category.Version);
        CacheControl.NoStore(http.Response);
        return TypedResults.Ok(category);
    }

    private static async Task<NoContent> DeleteCategory(string id, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        await mediator.Send(new DeleteCategoryCommand(id, ETags.RequireIfMatch(http.Request)), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<CategoryResponse>> RestoreCategory(string id, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var category = await mediator.Send(new RestoreCategoryCommand(id), ct);
        ETags.Set(http.Response, category.Version);
        CacheControl.NoStore(http.Response);
        return TypedResults.Ok(category);
    }
}
