using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;
using Shop.Hosting;

namespace Shop.Api.Catalog;

/// <summary>Merchant product management (admin role). Responses carry the version as an ETag for If-Match.</summary>
public static class AdminProductEndpoints
{
    public static IEndpointRouteBuilder MapAdminProductEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/products").WithTags("Admin: products").RequireShopPolicy(ShopPolicies.Admin);
        group.MapPost("/", CreateAsync).WithName("CreateProduct")
            .WithSummary("Creates a draft product (off shelf) under a new id: one SKU (its own id), or options and 1 to 100 variants.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id}", GetAsync).WithName("GetAdminProduct")
            .WithSummary("One product in any status, with its version as ETag.").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id}", UpdateAsync).WithName("UpdateProduct")
            .WithSummary("Replaces a product's content (conditional with If-Match or the body's version).").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{id}/status", SetStatusAsync).WithName("SetProductStatus")
            .WithSummary("Puts a product on or off the shelf (If-Match: its ETag, optional).").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteProduct")
            .WithSummary("Deletes a product (soft: orders that hold it still resolve it).").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>Creates a draft under a new, non-guessable id.</summary>
    public static async Task<Results<Created<AdminProductResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        [FromBody] ProductRequest? request, IGrainFactory grains, HttpResponse response)
    {
        var statusErrors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var draft = request.ToDraft(statusErrors);
        if (ProductVariantRules.TryNormalizeNew(draft, out var errors) is null || statusErrors.Count > 0)
        {
            return CatalogResults.Invalid(errors.Concat(statusErrors).ToDictionary());
        }

        var id = ProductId.New();
        return WithETag(CatalogResults.ToResult(await grains.GetGrain<IProductGrain>(id).CreateAsync(draft)), response).Result switch
        {
            Ok<AdminProductResponse> ok => TypedResults.Created($"/api/admin/products/{id}", ok.Value),
            ValidationProblem invalid => invalid,
            var problem => (ProblemHttpResult)problem,
        };
    }

    public static async Task<Results<Ok<AdminProductResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string id, IGrainFactory grains, HttpResponse response)
    {
        if (!ProductId.IsValid(id))
        {
            return CatalogResults.MalformedProductId();
        }

        var product = await grains.GetGrain<IProductGrain>(id).GetAsync();
        return product is null ? CatalogResults.ProductNotFound() : WithETag(CatalogResults.ToResult(ProductOutcome.Ok(product)), response);
    }

    /// <summary>Replaces the product's content; conditional when If-Match or <c>version</c> is given.</summary>
    public static async Task<Results<Ok<AdminProductResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id, [FromBody] ProductRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, IGrainFactory grains, HttpResponse response)
    {
        var statusErrors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var draft = request.ToDraft(statusErrors);
        // Whether a price is due depends on whether the product has options, which the grain knows: it checks that.
        ProductRules.TryNormalize(draft, out var errors, pricedPerVariant: draft.PriceFen is null || draft.Variants is not null);
        foreach (var (field, messages) in statusErrors)
        {
            errors[field] = messages;
        }

        var expected = ExpectedVersion(ifMatch, request?.Version, errors);
        CheckId(id, errors);
        if (errors.Count > 0)
        {
            return CatalogResults.Invalid(errors);
        }

        return WithETag(CatalogResults.ToResult(await grains.GetGrain<IProductGrain>(id).UpdateAsync(draft, expected)), response);
    }

    /// <summary>Puts the product on (<c>OnShelf</c>) or off (<c>OffShelf</c>) the shelf.</summary>
    public static async Task<Results<Ok<AdminProductResponse>, ValidationProblem, ProblemHttpResult>> SetStatusAsync(
        string id, [FromBody] ProductStatusRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, IGrainFactory grains, HttpResponse response)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var expected = ExpectedVersion(ifMatch, request?.Version, errors);
        ProductStatus? status = request?.Status switch
        {
            ProductStatuses.OnShelf => ProductStatus.OnShelf,
            ProductStatuses.OffShelf => ProductStatus.OffShelf,
            _ => null,
        };
        if (status is null)
        {
            errors["status"] = [$"Must be one of: {ProductStatuses.OnShelf}, {ProductStatuses.OffShelf}."];
        }

        CheckId(id, errors);
        if (errors.Count > 0)
        {
            return CatalogResults.Invalid(errors);
        }

        return WithETag(CatalogResults.ToResult(await grains.GetGrain<IProductGrain>(id).SetStatusAsync(status!.Value, expected)), response);
    }

    /// <summary>Soft delete: the product leaves the storefront and admin reads; orders that hold it still resolve it.</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        string id, [FromHeader(Name = "If-Match")] string? ifMatch, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var expected = ExpectedVersion(ifMatch, null, errors);
        CheckId(id, errors);
        if (errors.Count > 0)
        {
            return CatalogResults.Invalid(errors);
        }

        return CatalogResults.ToResult(await grains.GetGrain<IProductGrain>(id).DeleteAsync(expected)).Result switch
        {
            Ok<AdminProductResponse> => TypedResults.NoContent(),
            ValidationProblem invalid => invalid,
            var problem => (ProblemHttpResult)problem,
        };
    }

    internal static void CheckId(string id, Dictionary<string, string[]> errors)
    {
        if (!ProductId.IsValid(id))
        {
            errors["id"] = ["Must be a product id (\"p_\" and 22 base64url characters)."];
        }
    }

    internal static Results<Ok<AdminProductResponse>, ValidationProblem, ProblemHttpResult> WithETag(
        Results<Ok<AdminProductResponse>, ValidationProblem, ProblemHttpResult> result, HttpResponse response)
    {
        if (result.Result is Ok<AdminProductResponse> { Value: { } product })
        {
            response.Headers.ETag = $"\"{product.Version}\"";
        }

        return result;
    }

    /// <summary>The version an update is conditional on: If-Match ("3", W/"3" or *) wins over the body's version.</summary>
    internal static long? ExpectedVersion(string? ifMatch, long? bodyVersion, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return bodyVersion;
        }

        var tag = ifMatch.Trim();
        if (tag == "*")
        {
            return null;
        }

        tag = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
        if (long.TryParse(tag.Trim('"'), System.Globalization.NumberStyles.None, null, out var version))
        {
            return version;
        }

        errors["If-Match"] = ["Must be the product's ETag, e.g. \"3\"."];
        return null;
    }
}
