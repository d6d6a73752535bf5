using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.Api.Catalog;

/// <summary>RFC 7807 results of the catalog endpoints, each with a stable <c>code</c> extension.</summary>
internal static class CatalogProblems
{
    public const string ValidationFailed = "VALIDATION_FAILED";
    public const string NotFoundCode = "NOT_FOUND";
    public const string VersionConflict = "VERSION_CONFLICT";
    public const string AlreadyExists = "ALREADY_EXISTS";
    public const string CategoryInUse = "CATEGORY_IN_USE";
    public const string CategoryCycle = "CATEGORY_CYCLE";
    public const string CategoryNameTaken = "CATEGORY_NAME_TAKEN";

    public static ValidationProblem Validation(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.", extensions: Code(ValidationFailed));

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(title: $"{what} not found.", statusCode: StatusCodes.Status404NotFound, extensions: Code(NotFoundCode));

    public static ProblemHttpResult Conflict(string code, string title, string? detail = null) =>
        TypedResults.Problem(detail, title: title, statusCode: StatusCodes.Status409Conflict, extensions: Code(code));

    private static Dictionary<string, object?> Code(string code) => new() { ["code"] = code };
}
