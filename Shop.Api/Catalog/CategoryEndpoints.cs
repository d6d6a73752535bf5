using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;
using Shop.Hosting;

namespace Shop.Api.Catalog;

/// <summary>The category tree: anonymous reads under /api/categories, merchant edits under /api/admin/categories.</summary>
public static class CategoryEndpoints
{
    public static IEndpointRouteBuilder MapCategoryEndpoints(this IEndpointRouteBuilder app)
    {
        var storefront = app.MapGroup("/api/categories").WithTags("Categories").AllowAnonymous();
        storefront.MapGet("/", GetTreeAsync).WithName("GetCategories");
        storefront.MapGet("/{id}", GetAsync).WithName("GetCategory");

        var admin = app.MapGroup("/api/admin/categories").WithTags("Admin: categories").RequireAuthorization(ShopPolicies.Admin);
        admin.MapPost("/", CreateAsync).WithName("CreateCategory");
        admin.MapPut("/{id}", UpdateAsync).WithName("UpdateCategory");
        admin.MapDelete("/{id}", DeleteAsync).WithName("DeleteCategory");
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
            return CatalogProblems.Validation("id", "The category id is malformed.");
        }

        var nodes = (await Tree(grains).GetTreeAsync()).Nest(id);
        return nodes.Count == 0 ? CatalogProblems.NotFound("Category") : TypedResults.Ok(nodes[0]);
    }

    public static async Task<Results<Created<CategoryResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        [FromBody] CreateCategoryRequest? request, IGrainFactory grains)
    {
        var outcome = await Tree(grains).CreateAsync(request?.Name, request?.ParentId);
        return ToResult(outcome).Result switch
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
        var errors = new Dictionary<string, string[]>();
        if (!CategoryId.IsValid(id))
        {
            errors["id"] = ["The category id is malformed."];
        }

        if (request is { MoveToRoot: true, ParentId: not null })
        {
            errors["parentId"] = ["Give either parentId or moveToRoot, not both."];
        }

        if (request is null || (request.Name is null && request.ParentId is null && !request.MoveToRoot))
        {
            errors["name"] = ["Give a new name, a parentId or moveToRoot."];
        }

        if (errors.Count > 0)
        {
            return CatalogProblems.Validation(errors);
        }

        var move = request!.MoveToRoot || request.ParentId is not null;
        return ToResult(await Tree(grains).UpdateAsync(id, request.Name, move, request.MoveToRoot ? null : request.ParentId));
    }

    /// <summary>Deletes a category without subcategories and products (409 CATEGORY_IN_USE otherwise).</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(string id, IGrainFactory grains)
    {
        if (!CategoryId.IsValid(id))
        {
            return CatalogProblems.Validation("id", "The category id is malformed.");
        }

        return ToResult(await Tree(grains).DeleteAsync(id)).Result switch
        {
            Ok<CategoryResponse> => TypedResults.NoContent(),
            ValidationProblem invalid => invalid,
            var problem => (ProblemHttpResult)problem,
        };
    }

    private static ICategoryTreeGrain Tree(IGrainFactory grains) => grains.GetGrain<ICategoryTreeGrain>(ICategoryTreeGrain.DefaultKey);

    private static Results<Ok<CategoryResponse>, ValidationProblem, ProblemHttpResult> ToResult(CategoryOutcome outcome) => outcome.Status switch
    {
        CategoryOutcomeStatus.Ok => TypedResults.Ok(outcome.Category!.ToResponse()),
        CategoryOutcomeStatus.Invalid => CatalogProblems.Validation(outcome.Errors!),
        CategoryOutcomeStatus.Cycle => CatalogProblems.Conflict(CatalogProblems.CategoryCycle, "The move would make a cycle.", outcome.Detail),
        CategoryOutcomeStatus.InUse => CatalogProblems.Conflict(CatalogProblems.CategoryInUse, "The category is in use.", outcome.Detail),
        CategoryOutcomeStatus.NameTaken => CatalogProblems.Conflict(CatalogProblems.CategoryNameTaken, "The name is taken.", outcome.Detail),
        _ => CatalogProblems.NotFound("Category"),
    };
}
