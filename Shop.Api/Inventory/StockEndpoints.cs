using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client;
using Shop.Client.Inventory;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Inventory;
using Shop.Hosting;

namespace Shop.Api.Inventory;

/// <summary>Admin view and adjustment of one product's stock (mapped under the <c>/api</c> root).</summary>
public static class StockEndpoints
{
    private const string InvalidId = "Must be a product id (\"p_\" and 22 base64url characters).";

    public static IEndpointRouteBuilder MapStockEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/products/{id}/stock")
            .RequireShopPolicy(ShopPolicies.Admin)
            .WithTags("Admin: stock");
        group.MapGet("/", GetStockAsync).WithName("GetStock")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/", AdjustStockAsync).WithName("AdjustStock")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<Results<Ok<StockResponse>, ValidationProblem, ProblemHttpResult>> GetStockAsync(
        string id, IClusterClient cluster)
    {
        if (!ProductId.IsValid(id))
        {
            return ShopProblems.Validation(new ValidationErrors().Add("id", InvalidId));
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

    /// <summary>Restock (positive delta) or correct (negative delta); the caller's token subject is the audited operator.</summary>
    public static async Task<Results<Ok<StockResponse>, ValidationProblem, ProblemHttpResult>> AdjustStockAsync(
        string id, [FromBody] AdjustStockRequest? request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var reason = request?.Reason?.Trim();
        var errors = new ValidationErrors()
            .Check(ProductId.IsValid(id), "id", InvalidId)
            .Range("delta", request?.Delta, -AdjustStockRequest.MaxDelta, AdjustStockRequest.MaxDelta)
            .Check(request?.Delta != 0, "delta", "Must not be 0.")
            .Required("reason", reason, AdjustStockRequest.MaxReasonLength);
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        try
        {
            var result = await cluster.GetGrain<IInventoryGrain>(id).AdjustAsync(request!.Delta!.Value, reason!, user.Subject());
            if (result.Status == AdjustStatus.InsufficientAvailable)
            {
                return TypedResults.Problem(
                    $"Only {result.Levels.Available} units are available; a correction can't take more.",
                    statusCode: StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?>
                    {
                        [ShopProblemDetails.CodeKey] = StockErrorCodes.InsufficientStock,
                        ["available"] = result.Levels.Available,
                    });
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

    // The change was not stored and nothing was decided: the caller may retry.
    private static ProblemHttpResult Unavailable(InventoryUnavailableException ex) =>
        ShopProblems.Problem(StatusCodes.Status503ServiceUnavailable, ShopErrorCodes.ServiceUnavailable, ex.Message);
}
