using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Errors;
using Shop.Client;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Api.Catalog;

/// <summary>Catalog outcomes as problem results (via the shared <see cref="ShopProblems"/>).</summary>
internal static class CatalogResults
{
    public static ValidationProblem Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        ShopProblems.Validation(new Dictionary<string, string[]>(errors, StringComparer.Ordinal));

    public static ValidationProblem Invalid(string field, string message) => ShopProblems.Validation(new ValidationErrors().Add(field, message));

    public static ValidationProblem MalformedProductId() => Invalid("id", "Must be a product id (\"p_\" and 22 base64url characters).");

    public static ValidationProblem MalformedCategoryId(string field = "id") =>
        Invalid(field, "Must be a category id (\"c_\" and 22 base64url characters).");

    public static ProblemHttpResult ProductNotFound() => ShopProblems.NotFound(ShopErrorCodes.NotFound, "The product does not exist.");

    public static ProblemHttpResult CategoryNotFound() => ShopProblems.NotFound(ShopErrorCodes.NotFound, "The category does not exist.");

    public static Results<Ok<AdminProductResponse>, ValidationProblem, ProblemHttpResult> ToResult(ProductOutcome outcome) => outcome.Status switch
    {
        ProductOutcomeStatus.Ok => TypedResults.Ok(outcome.Product!.ToAdminResponse()),
        ProductOutcomeStatus.Invalid => Invalid(outcome.Errors!),
        ProductOutcomeStatus.VersionConflict => ShopProblems.Conflict(CatalogErrorCodes.VersionConflict,
            $"The product was changed meanwhile; its current version is {outcome.Product!.Version}. Reload it and apply the change again."),
        ProductOutcomeStatus.AlreadyExists => ShopProblems.Conflict(CatalogErrorCodes.ProductExists, "A product with this id already exists."),
        ProductOutcomeStatus.SkuNotFound => ShopProblems.NotFound(ShopErrorCodes.NotFound, "The product has no such SKU."),
        _ => ProductNotFound(),
    };

    public static Results<Ok<CategoryResponse>, ValidationProblem, ProblemHttpResult> ToResult(CategoryOutcome outcome) => outcome.Status switch
    {
        CategoryOutcomeStatus.Ok => TypedResults.Ok(outcome.Category!.ToResponse()),
        CategoryOutcomeStatus.Invalid => Invalid(outcome.Errors!),
        CategoryOutcomeStatus.Cycle => ShopProblems.Conflict(CatalogErrorCodes.CategoryCycle, outcome.Detail!),
        CategoryOutcomeStatus.InUse => ShopProblems.Conflict(CatalogErrorCodes.CategoryInUse, outcome.Detail!),
        CategoryOutcomeStatus.NameTaken => ShopProblems.Conflict(CatalogErrorCodes.CategoryNameTaken, outcome.Detail!),
        _ => CategoryNotFound(),
    };
}
