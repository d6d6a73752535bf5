using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;
using Shop.Hosting;

namespace Shop.Api.Catalog;

/// <summary>Merchant product management (admin role). Responses carry the version as an ETag for If-Match.</summary>
public static class AdminProductEndpoints
{
    public static IEndpointRouteBuilder MapAdminProductEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/products").WithTags("Admin: products").RequireAuthorization(ShopPolicies.Admin);
        group.MapPost("/", CreateAsync).WithName("CreateProduct");
        group.MapGet("/{id}", GetAsync).WithName("GetAdminProduct");
        group.MapPut("/{id}", UpdateAsync).WithName("UpdateProduct");
        group.MapPut("/{id}/status", SetStatusAsync).WithName("SetProductStatus");
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteProduct");
        return app;
    }

    /// <summary>Creates a draft under a new, non-guessable id.</summary>
    public static async Task<Results<Created<AdminProductResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        [FromBody] ProductRequest? request, IGrainFactory grains, HttpResponse response)
    {
        var draft = request.ToDraft();
        if (ProductRules.TryNormalize(draft, out var errors) is null)
        {
            return CatalogProblems.Validation(errors);
        }

        var id = ProductId.New();
        var outcome = await grains.GetGrain<IProductGrain>(id).CreateAsync(draft);
        return ToResult(outcome, response) switch
        {
            { Result: Ok<AdminProductResponse> ok } => TypedResults.Created($"/api/admin/products/{id}", ok.Value),
            { Result: ValidationProblem invalid } => invalid,
            var other => (ProblemHttpResult)other.Result,
        };
    }

    public static async Task<Results<Ok<AdminProductResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string id, IGrainFactory grains, HttpResponse response)
    {
        if (!ProductId.IsValid(id))
        {
            return CatalogProblems.Validation("id", "The product id is malformed.");
        }

        var product = await grains.GetGrain<IProductGrain>(id).GetAsync();
        return product is null ? CatalogProblems.NotFound("Product") : ToResult(ProductOutcome.Ok(product), response);
    }

    /// <summary>Replaces the product's content; conditional when If-Match or <c>version</c> is given.</summary>
    public static async Task<Results<Ok<AdminProductResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id, [FromBody] ProductRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, IGrainFactory grains, HttpResponse response)
    {
        var draft = request.ToDraft();
        ProductRules.TryNormalize(draft, out var errors);
        var expected = ExpectedVersion(ifMatch, request?.Version, errors);
        if (!ProductId.IsValid(id))
        {
            errors["id"] = ["The product id is malformed."];
        }

        if (errors.Count > 0)
        {
            return CatalogProblems.Validation(errors);
        }

        return ToResult(await grains.GetGrain<IProductGrain>(id).UpdateAsync(draft, expected), response);
    }

    public static async Task<Results<Ok<AdminProductResponse>, ValidationProblem, ProblemHttpResult>> SetStatusAsync(
        string id, [FromBody] ProductStatusRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, IGrainFactory grains, HttpResponse response)
    {
        var errors = new Dictionary<string, string[]>();
        var expected = ExpectedVersion(ifMatch, request?.Version, errors);
        ProductStatus? status = request?.Status switch
        {
            ProductStatuses.OnShelf => ProductStatus.OnShelf,
            ProductStatuses.OffShelf => ProductStatus.OffShelf,
            _ => null,
        };
        if (status is null)
        {
            errors["status"] = [$"The status must be {ProductStatuses.OnShelf} or {ProductStatuses.OffShelf}."];
        }

        if (!ProductId.IsValid(id))
        {
            errors["id"] = ["The product id is malformed."];
        }

        if (errors.Count > 0)
        {
            return CatalogProblems.Validation(errors);
        }

        return ToResult(await grains.GetGrain<IProductGrain>(id).SetStatusAsync(status!.Value, expected), response);
    }

    /// <summary>Soft delete: the product leaves the storefront and admin lists; orders that hold it still resolve it.</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        string id, [FromHeader(Name = "If-Match")] string? ifMatch, IGrainFactory grains, HttpResponse response)
    {
        var errors = new Dictionary<string, string[]>();
        var expected = ExpectedVersion(ifMatch, null, errors);
        if (!ProductId.IsValid(id))
        {
            errors["id"] = ["The product id is malformed."];
        }

        if (errors.Count > 0)
        {
            return CatalogProblems.Validation(errors);
        }

        return ToResult(await grains.GetGrain<IProductGrain>(id).DeleteAsync(expected), response).Result switch
        {
            Ok<AdminProductResponse> => TypedResults.NoContent(),
            ValidationProblem invalid => invalid,
            var problem => (ProblemHttpResult)problem,
        };
    }

    private static Results<Ok<AdminProductResponse>, ValidationProblem, ProblemHttpResult> ToResult(ProductOutcome outcome, HttpResponse response)
    {
        switch (outcome.Status)
        {
            case ProductOutcomeStatus.Ok:
                response.Headers.ETag = $"\"{outcome.Product!.Version}\"";
                return TypedResults.Ok(outcome.Product.ToAdminResponse());
            case ProductOutcomeStatus.Invalid:
                return CatalogProblems.Validation(outcome.Errors!);
            case ProductOutcomeStatus.VersionConflict:
                return CatalogProblems.Conflict(CatalogProblems.VersionConflict, "The product was changed by someone else.",
                    $"The current version is {outcome.Product!.Version}; reload the product and apply the change again.");
            case ProductOutcomeStatus.AlreadyExists:
                return CatalogProblems.Conflict(CatalogProblems.AlreadyExists, "A product with this id already exists.");
            default:
                return CatalogProblems.NotFound("Product");
        }
    }

    /// <summary>The version an update is conditional on: If-Match ("3", W/"3" or *) wins over the body's version.</summary>
    private static long? ExpectedVersion(string? ifMatch, long? bodyVersion, Dictionary<string, string[]> errors)
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

        errors["If-Match"] = ["If-Match must be the product's ETag, e.g. \"3\"."];
        return null;
    }
}
