using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Client;

namespace Shop.Api.Errors;

/// <summary>
/// The problem results endpoints return. Each carries a stable <c>code</c> (see <see cref="ShopErrorCodes"/>);
/// declare the statuses on the route with <c>ProducesProblem</c>/<c>ProducesValidationProblem</c> for OpenAPI.
/// </summary>
public static class ShopProblems
{
    public static ValidationProblem Validation(ValidationErrors errors, string? detail = null) =>
        Validation(errors.ToDictionary(), detail);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(
            errors,
            detail ?? "One or more fields are invalid.",
            extensions: new Dictionary<string, object?> { [ShopProblemDetails.CodeKey] = ShopErrorCodes.ValidationFailed });

    /// <summary>404 with a specific code, e.g. <c>PRODUCT_NOT_FOUND</c>, or <see cref="ShopErrorCodes.NotFound"/>.</summary>
    public static ProblemHttpResult NotFound(string code, string detail) => Problem(StatusCodes.Status404NotFound, code, detail);

    /// <summary>409: the request is valid but conflicts with the current state (e.g. <c>OUT_OF_STOCK</c>).</summary>
    public static ProblemHttpResult Conflict(string code, string detail) => Problem(StatusCodes.Status409Conflict, code, detail);

    public static ProblemHttpResult Problem(int status, string code, string detail) =>
        TypedResults.Problem(detail, statusCode: status, extensions: new Dictionary<string, object?> { [ShopProblemDetails.CodeKey] = code });
}
