using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Api.Endpoints;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;
using Shop.Hosting;

namespace Shop.Api.Catalog;

/// <summary>Options for a product created without them (admin role); the answer is the whole product with its ETag.</summary>
public static class AdminProductOptionEndpoints
{
    public static IEndpointRouteBuilder MapAdminProductOptionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/admin/products/{id}/options").WithTags("Admin: products").RequireShopPolicy(ShopPolicies.Admin)
            .MapPost("/", AddAsync).WithName("AddProductOptions")
            .WithSummary("Gives a product without options its options; its single SKU becomes the first variant, same id, stock and open orders.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Ok<AdminProductResponse>, ValidationProblem, ProblemHttpResult>> AddAsync(
        string id, [FromBody] ProductOptionsRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, IGrainFactory grains,
        HttpResponse response)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var expected = AdminProductEndpoints.ExpectedVersion(ifMatch, request?.Version, errors);
        AdminProductEndpoints.CheckId(id, errors);
        if (errors.Count > 0)
        {
            return CatalogResults.Invalid(errors);
        }

        var outcome = await grains.GetGrain<IProductGrain>(id).AddOptionsAsync(request?.Options, request?.Spec, expected);
        return AdminProductEndpoints.WithETag(CatalogResults.ToResult(outcome), response);
    }
}
