using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Api.Endpoints;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;
using Shop.Hosting;

namespace Shop.Api.Catalog;

/// <summary>
/// A product's variants (SKUs), admin role. Each answer is the whole product (with its version as ETag, for If-Match),
/// since a variant change moves the product's version and its shown price.
/// </summary>
public static class AdminVariantEndpoints
{
    public static IEndpointRouteBuilder MapAdminVariantEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/products/{id}/variants").WithTags("Admin: products").RequireShopPolicy(ShopPolicies.Admin);
        group.MapPost("/", AddAsync).WithName("AddProductVariant")
            .WithSummary("Adds a variant (SKU) to a product with options; its stock starts at 0.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{skuId}", UpdateAsync).WithName("UpdateProductVariant")
            .WithSummary("Replaces a variant's spec, price, image and barcode (and shelf state when given).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{skuId}/status", SetStatusAsync).WithName("SetProductVariantStatus")
            .WithSummary("Puts one variant on or off the shelf; the product's other variants keep selling.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>Adds a variant under a new SKU id ("{productId}.{suffix}").</summary>
    public static async Task<Results<Created<AdminProductResponse>, ValidationProblem, ProblemHttpResult>> AddAsync(
        string id, [FromBody] VariantRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, IGrainFactory grains, HttpResponse response)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var draft = request.ToDraft(errors);
        var expected = AdminProductEndpoints.ExpectedVersion(ifMatch, request?.Version, errors);
        AdminProductEndpoints.CheckId(id, errors);
        if (errors.Count > 0)
        {
            return CatalogResults.Invalid(errors);
        }

        var skuId = SkuId.New(id);
        var result = AdminProductEndpoints.WithETag(CatalogResults.ToResult(await Product(grains, id).AddVariantAsync(skuId, draft, expected)), response);
        return result.Result switch
        {
            Ok<AdminProductResponse> ok => TypedResults.Created($"/api/admin/products/{id}/variants/{skuId}", ok.Value),
            ValidationProblem invalid => invalid,
            var problem => (ProblemHttpResult)problem,
        };
    }

    public static async Task<Results<Ok<AdminProductResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id, string skuId, [FromBody] VariantRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, IGrainFactory grains,
        HttpResponse response)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var draft = request.ToDraft(errors);
        var expected = AdminProductEndpoints.ExpectedVersion(ifMatch, request?.Version, errors);
        CheckIds(id, skuId, errors);
        if (errors.Count > 0)
        {
            return CatalogResults.Invalid(errors);
        }

        return AdminProductEndpoints.WithETag(CatalogResults.ToResult(await Product(grains, id).UpdateVariantAsync(skuId, draft, expected)), response);
    }

    /// <summary>Off the shelf, ordering the SKU answers 409 PRODUCT_UNAVAILABLE naming it; the product's other SKUs still sell.</summary>
    public static async Task<Results<Ok<AdminProductResponse>, ValidationProblem, ProblemHttpResult>> SetStatusAsync(
        string id, string skuId, [FromBody] VariantStatusRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, IGrainFactory grains,
        HttpResponse response)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var onShelf = CatalogMapping.ParseShelf(request?.Status, "status", errors, optional: false);
        var expected = AdminProductEndpoints.ExpectedVersion(ifMatch, request?.Version, errors);
        CheckIds(id, skuId, errors);
        if (errors.Count > 0)
        {
            return CatalogResults.Invalid(errors);
        }

        return AdminProductEndpoints.WithETag(
            CatalogResults.ToResult(await Product(grains, id).SetVariantShelfAsync(skuId, onShelf!.Value, expected)), response);
    }

    private static void CheckIds(string id, string skuId, Dictionary<string, string[]> errors)
    {
        AdminProductEndpoints.CheckId(id, errors);
        if (!SkuId.IsValid(skuId) || SkuId.ProductOf(skuId) != id)
        {
            errors["skuId"] = ["Must be a SKU id of this product (the product id, or the product id, '.' and 8 base64url characters)."];
        }
    }

    private static IProductGrain Product(IGrainFactory grains, string id) => grains.GetGrain<IProductGrain>(id);
}
