using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Errors;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Api.Catalog;

/// <summary>Storefront product reads, anonymous.</summary>
public static class ProductEndpoints
{
    public const int MaxPage = 10_000;
    public const int MaxSize = 100;
    public const int DefaultSize = 20;
    public const int MaxKeywordLength = 100;

    public static IEndpointRouteBuilder MapProductEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/products").WithTags("Products").AllowAnonymous();
        group.MapGet("/", ListAsync).WithName("ListProducts")
            .WithSummary("On-shelf products, newest first (?page, size, categoryId, q keyword, sort=price|-price).").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}", GetAsync).WithName("GetProduct")
            .WithSummary("One on-shelf product with its available stock.").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>On-shelf products, newest first unless <c>sort</c> is <c>price</c> or <c>-price</c>.</summary>
    public static async Task<Results<Ok<ProductListResponse>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string? page, string? size, string? categoryId, string? q, string? sort, IGrainFactory grains)
    {
        var errors = new ValidationErrors();
        var pageNumber = ParseInt(page, 1);
        errors.Check(pageNumber is >= 1 and <= MaxPage, "page", $"Must be a whole number from 1 to {MaxPage}.");
        var pageSize = ParseInt(size, DefaultSize);
        errors.Check(pageSize is >= 1 and <= MaxSize, "size", $"Must be a whole number from 1 to {MaxSize}.");
        categoryId = string.IsNullOrEmpty(categoryId) ? null : categoryId;
        errors.Check(categoryId is null || CategoryId.IsValid(categoryId), "categoryId", "Must be a category id (\"c_\" and 22 base64url characters).");
        var keyword = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        errors.Check(keyword is not { Length: > MaxKeywordLength }, "q", $"At most {MaxKeywordLength} characters.");

        ProductSort? order = sort switch
        {
            null or "" or "newest" => ProductSort.Newest,
            "price" => ProductSort.PriceAscending,
            "-price" => ProductSort.PriceDescending,
            _ => null,
        };
        errors.Check(order is not null, "sort", "Must be one of: newest, price, -price.");
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        var query = new ProductQuery(pageNumber!.Value, pageSize!.Value, categoryId, keyword, order!.Value);
        var result = await grains.GetGrain<ICatalogQueryGrain>(0).QueryAsync(query);
        if (!result.CategoryFound)
        {
            return CatalogResults.CategoryNotFound();
        }

        return TypedResults.Ok(new ProductListResponse(
            [.. result.Page.Items.Select(i => i.ToSummary())], query.Page, query.Size, result.Page.Total));
    }

    /// <summary>
    /// One on-shelf product, served by its grain through this host's <see cref="ProductDetailCache"/>. A malformed id
    /// is refused before any grain is touched; an unknown one is answered by an activation that remembers it has no
    /// state. The page may be cached by a CDN or the mini program for as long as this host caches it.
    /// </summary>
    public static async Task<Results<Ok<ProductResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(string id, ProductDetailCache cache, HttpContext http)
    {
        if (!ProductId.IsValid(id))
        {
            return CatalogResults.MalformedProductId();
        }

        // One round trip at most; the grain reads stock only for a product on the shelf, so a flood of unknown ids
        // never activates inventory grains.
        var product = await cache.GetAsync(id);
        if (cache.Ttl >= TimeSpan.FromSeconds(1))
        {
            http.Response.Headers.CacheControl = $"public, max-age={(int)cache.Ttl.TotalSeconds}";
        }

        return product is { } found ? TypedResults.Ok(found) : CatalogResults.ProductNotFound();
    }

    private static int? ParseInt(string? raw, int fallback) =>
        string.IsNullOrEmpty(raw) ? fallback : int.TryParse(raw, System.Globalization.NumberStyles.None, null, out var value) ? value : null;
}
