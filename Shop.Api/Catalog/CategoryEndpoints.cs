using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;
using Shop.Hosting;

namespace Shop.Api.Catalog;

/// <summary>The category tree: anonymous reads under /api/categories, merchant edits under /api/admin/categories.</summary>
public static class CategoryEndpoints
{
    public static IEndpointRouteBuilder MapCategoryEndpoints(this IEndpointRouteBuilder app)
    {
        var storefront = app.MapGroup("/categories").WithTags("Categories").AllowAnonymous();
        storefront.MapGet("/", GetTreeAsync).WithName("GetCategories")
            .WithSummary("The whole category tree.");
        storefront.MapGet("/{id}", GetAsync).WithName("GetCategory")
            .WithSummary("One category and its subtree.").ProducesProblem(StatusCodes.Status404NotFound);

        var admin = app.MapGroup("/admin/categories").WithTags("Admin: categories").RequireShopPolicy(ShopPolicies.Admin);
        admin.MapPost("/", CreateAsync).WithName("CreateCategory")
            .WithSummary("Creates a category, optionally under a parent.").ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPut("/{id}", UpdateAsync).WithName("UpdateCategory")
            .WithSummary("Renames or moves a category.").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapDelete("/{id}", DeleteAsync).WithName("DeleteCategory")
            .WithSummary("Deletes a category that has no children and no products.").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Ok<CategoryTreeResponse>> GetTreeAsync(IGrainFactory grains)
    {
        var tree = await Tree(grains).GetTreeAsync();
        return TypedResults.Ok(new CategoryTreeResponse(tree.Nest(rootId: null), tree.Version));
    }

    /// <summary>One category with its subtree.</summary>
    public static async Task<Results<Ok<CategoryNode>, ValidationProblem, ProblemHttpResult>> GetAsync(string id, IGrainFactory grains)
    {
        if (!CategoryId.IsValid(id))
        {
            return CatalogResults.MalformedCategoryId();
        }

        var nodes = (await Tree(grains).GetTreeAsync()).Nest(id);
        return nodes.Count == 0 ? CatalogResults.CategoryNotFound() : TypedResults.Ok(nodes[0]);
    }

    public static async Task<Results<Created<CategoryResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        [FromBody] CreateCategoryRequest? request, IGrainFactory grains)
    {
        var outcome = await Tree(grains).CreateAsync(request?.Name, request?.ParentId);
        return CatalogResults.ToResult(outcome).Result switch
        {
            Ok<CategoryResponse> ok => TypedResults.Created($"/api/categories/{ok.Value!.Id}", ok.Value),
            ValidationProblem invalid => invalid,
            var problem => (ProblemHttpResult)problem,
        };
    }

    /// <summary>Renames and/or moves; see <see cref="UpdateCategoryRequest"/>.</summary>
    public static async Task<Results<Ok<CategoryResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id, [FromBody] UpdateCategoryRequest? request, IGrainFactory grains)
    {
        var errors = new ValidationErrors()
            .Check(CategoryId.IsValid(id), "id", "Must be a category id (\"c_\" and 22 base64url characters).")
            .Check(request is not { MoveToRoot: true, ParentId: not null }, "parentId", "Give either parentId or moveToRoot, not both.")
            .Check(request is { Name: not null } or { ParentId: not null } or { MoveToRoot: true }, "name", "Give a new name, a parentId or moveToRoot.");
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        var move = request!.MoveToRoot || request.ParentId is not null;
        return CatalogResults.ToResult(await Tree(grains).UpdateAsync(id, request.Name, move, request.MoveToRoot ? null : request.ParentId));
    }

    /// <summary>Deletes a category without subcategories and products (409 CATEGORY_IN_USE otherwise).</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(string id, IGrainFactory grains)
    {
        if (!CategoryId.IsValid(id))
        {
            return CatalogResults.MalformedCategoryId();
        }

        return CatalogResults.ToResult(await Tree(grains).DeleteAsync(id)).Result switch
        {
            Ok<CategoryResponse> => TypedResults.NoContent(),
            ValidationProblem invalid => invalid,
            var problem => (ProblemHttpResult)problem,
        };
    }

    private static ICategoryTreeGrain Tree(IGrainFactory grains) => grains.GetGrain<ICategoryTreeGrain>(ICategoryTreeGrain.DefaultKey);
}
