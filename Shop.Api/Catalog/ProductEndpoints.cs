using Microsoft.AspNetCore.Http.HttpResults;
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
        var group = app.MapGroup("/api/products").WithTags("Products").AllowAnonymous();
        group.MapGet("/", ListAsync).WithName("ListProducts");
        group.MapGet("/{id}", GetAsync).WithName("GetProduct");
        return app;
    }

    /// <summary>On-shelf products, newest first unless <c>sort</c> is <c>price</c> or <c>-price</c>.</summary>
    public static async Task<Results<Ok<ProductListResponse>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string? page, string? size, string? categoryId, string? q, string? sort, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>();
        var pageNumber = ParseInt(page, 1);
        if (pageNumber is not (>= 1 and <= MaxPage))
        {
            errors["page"] = [$"The page must be a whole number from 1 to {MaxPage}."];
        }

        var pageSize = ParseInt(size, DefaultSize);
        if (pageSize is not (>= 1 and <= MaxSize))
        {
            errors["size"] = [$"The size must be a whole number from 1 to {MaxSize}."];
        }

        categoryId = string.IsNullOrEmpty(categoryId) ? null : categoryId;
        if (categoryId is not null && !CategoryId.IsValid(categoryId))
        {
            errors["categoryId"] = ["The category id is malformed."];
        }

        var keyword = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (keyword?.Length > MaxKeywordLength)
        {
            errors["q"] = [$"The keyword must be at most {MaxKeywordLength} characters long."];
        }

        ProductSort? order = sort switch
        {
            null or "" or "newest" => ProductSort.Newest,
            "price" => ProductSort.PriceAscending,
            "-price" => ProductSort.PriceDescending,
            _ => null,
        };
        if (order is null)
        {
            errors["sort"] = ["The sort must be newest, price or -price."];
        }

        if (errors.Count > 0)
        {
            return CatalogProblems.Validation(errors);
        }

        var query = new ProductQuery(pageNumber!.Value, pageSize!.Value, categoryId, keyword, order!.Value);
        var result = await grains.GetGrain<ICatalogQueryGrain>(0).QueryAsync(query);
        if (!result.CategoryFound)
        {
            return CatalogProblems.NotFound("Category");
        }

        return TypedResults.Ok(new ProductListResponse(
            [.. result.Page.Items.Select(i => i.ToSummary())], query.Page, query.Size, result.Page.Total));
    }

    /// <summary>
    /// One on-shelf product, served by its grain. A malformed id is refused before any grain is touched; an unknown
    /// one is answered by an activation that remembers it has no state.
    /// </summary>
    public static async Task<Results<Ok<ProductResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(string id, IGrainFactory grains)
    {
        if (!ProductId.IsValid(id))
        {
            return CatalogProblems.Validation("id", "The product id is malformed.");
        }

        var product = await grains.GetGrain<IProductGrain>(id).GetAsync();
        return product is { IsVisible: true } ? TypedResults.Ok(product.ToResponse()) : CatalogProblems.NotFound("Product");
    }

    private static int? ParseInt(string? raw, int fallback) =>
        string.IsNullOrEmpty(raw) ? fallback : int.TryParse(raw, System.Globalization.NumberStyles.None, null, out var value) ? value : null;
}
