using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Client.Inventory;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Inventory;
using Shop.Hosting;

namespace Shop.Api.Inventory;

/// <summary>Admin view and adjustment of one product's stock.</summary>
public static class StockEndpoints
{
    public static IEndpointRouteBuilder MapStockEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/products/{id}/stock")
            .RequireAuthorization(ShopPolicies.Admin)
            .WithTags("Inventory");
        group.MapGet("/", GetStockAsync);
        group.MapPost("/", AdjustStockAsync);
        return app;
    }

    public static async Task<Results<Ok<StockResponse>, ValidationProblem, ProblemHttpResult>> GetStockAsync(
        string id, IClusterClient cluster)
    {
        if (!ProductId.IsValid(id))
        {
            return InvalidId();
        }

        try
        {
            var snapshot = await cluster.GetGrain<IInventoryGrain>(id).GetAsync();
            return TypedResults.Ok(ToResponse(snapshot.Levels, snapshot.Reservations));
        }
        catch (InventoryUnavailableException ex)
        {
            return Unavailable(ex);
        }
    }

    public static async Task<Results<Ok<StockResponse>, ValidationProblem, ProblemHttpResult>> AdjustStockAsync(
        string id, AdjustStockRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ProductId.IsValid(id))
        {
            errors["id"] = ["Must be a product id (\"p_\" and 22 base64url characters)."];
        }

        if (request.Delta is not { } delta || delta == 0 || Math.Abs(delta) > AdjustStockRequest.MaxDelta)
        {
            errors["delta"] = [$"Required: a non-zero whole number from -{AdjustStockRequest.MaxDelta} to {AdjustStockRequest.MaxDelta}."];
        }

        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > AdjustStockRequest.MaxReasonLength)
        {
            errors["reason"] = [$"Required: 1 to {AdjustStockRequest.MaxReasonLength} characters."];
        }

        if (errors.Count > 0)
        {
            return Validation(errors);
        }

        var @operator = user.FindFirstValue("sub");
        if (string.IsNullOrEmpty(@operator))
        {
            return TypedResults.Problem("The token has no subject, so the change could not be attributed.",
                statusCode: StatusCodes.Status403Forbidden, extensions: Code("OPERATOR_UNKNOWN"));
        }

        try
        {
            var result = await cluster.GetGrain<IInventoryGrain>(id).AdjustAsync(request.Delta!.Value, reason!, @operator);
            if (result.Status == AdjustStatus.InsufficientAvailable)
            {
                return TypedResults.Problem(
                    $"Only {result.Levels.Available} units are available; a correction can't take more.",
                    statusCode: StatusCodes.Status409Conflict, title: "Insufficient stock",
                    extensions: Code("INSUFFICIENT_STOCK", ("available", result.Levels.Available)));
            }

            return TypedResults.Ok(ToResponse(result.Levels, []));
        }
        catch (InventoryUnavailableException ex)
        {
            return Unavailable(ex);
        }
    }

    private static StockResponse ToResponse(StockLevels levels, IReadOnlyList<ReservationInfo> reservations) =>
        new(levels.Total, levels.Available, levels.Reserved, levels.Sold,
            [.. reservations.Select(r => new StockReservationResponse(r.OrderId, r.Quantity, r.ExpiresAt))]);

    private static ValidationProblem InvalidId() =>
        Validation(new Dictionary<string, string[]> { ["id"] = ["Must be a product id (\"p_\" and 22 base64url characters)."] });

    private static ValidationProblem Validation(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "Invalid request", extensions: Code("VALIDATION_FAILED"));

    private static ProblemHttpResult Unavailable(InventoryUnavailableException ex) =>
        TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Inventory unavailable", extensions: Code("INVENTORY_UNAVAILABLE"));

    private static Dictionary<string, object?> Code(string code, params (string Key, object? Value)[] more)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        foreach (var (key, value) in more)
        {
            extensions[key] = value;
        }

        return extensions;
    }
}
