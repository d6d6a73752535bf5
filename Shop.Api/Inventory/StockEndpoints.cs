using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client;
using Shop.Client.Inventory;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Interfaces.Orders;
using Shop.Hosting;

namespace Shop.Api.Inventory;

/// <summary>Admin view and adjustment of one product's stock (mapped under the <c>/api</c> root).</summary>
public static class StockEndpoints
{
    private const string InvalidId = "Must be a SKU id (a product id for a product without options, or a variant's skuId).";

    public static IEndpointRouteBuilder MapStockEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/products/{id}/stock")
            .RequireShopPolicy(ShopPolicies.Admin)
            .WithTags("Admin: stock");
        group.MapGet("/", GetStockAsync).WithName("GetStock")
            .WithSummary("Stock levels and one page of live reservations (?after=<orderId>&limit=1..500).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/", AdjustStockAsync).WithName("AdjustStock")
            .WithSummary("Restock or correct (Idempotency-Key header required).")
            .WithIdempotencyKeyHeader()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>
    /// Keyset paging by order id (ordinal): the cursor names a position, not an index, so reservations confirmed or
    /// expiring while an admin walks the pages neither shift nor repeat the rest.
    /// </summary>
    public static async Task<Results<Ok<StockResponse>, ValidationProblem, ProblemHttpResult>> GetStockAsync(
        string id, string? after, string? limit, IClusterClient cluster)
    {
        // Parsed here rather than bound as int, so "limit=abc" is a field error like any other, not a bare 400.
        var size = string.IsNullOrEmpty(limit) ? StockResponse.DefaultLimit
            : int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : (int?)null;
        after = string.IsNullOrEmpty(after) ? null : after;
        var errors = new ValidationErrors()
            .Check(SkuId.IsValid(id), "id", InvalidId)
            .Check(size is >= 1 and <= StockResponse.MaxLimit, "limit", $"Must be a whole number from 1 to {StockResponse.MaxLimit}.")
            .Check(after is not { Length: > StockResponse.MaxAfterLength }, "after",
                $"Must be the next cursor of a previous page (an order id of at most {StockResponse.MaxAfterLength} characters).");
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        try
        {
            var page = await cluster.GetGrain<IInventoryGrain>(id).GetReservationsAsync(after, size!.Value);
            var levels = page.Levels;
            return TypedResults.Ok(new StockResponse(levels.Total, levels.Available, levels.Reserved, levels.Sold,
                [.. page.Reservations.Select(r => new StockReservationResponse(r.OrderId, r.Quantity, r.ExpiresAt))],
                page.Next, page.ReservationCount, levels.Allotted));
        }
        catch (InventoryUnavailableException ex)
        {
            return Unavailable(ex);
        }
    }

    /// <summary>
    /// Restock (positive delta) or correct (negative delta); the caller's token subject is the audited operator. The
    /// key is required: without one a retried restock (a timeout after the write) would be applied twice.
    /// </summary>
    public static async Task<Results<Ok<StockLevelsResponse>, ValidationProblem, ProblemHttpResult>> AdjustStockAsync(
        string id, [FromBody] AdjustStockRequest? request, [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey,
        ClaimsPrincipal user, IClusterClient cluster)
    {
        var reason = request?.Reason?.Trim();
        var errors = new ValidationErrors()
            .Check(SkuId.IsValid(id), "id", InvalidId)
            .Check(IdempotencyKeys.IsValidKey(idempotencyKey), IdempotencyKeys.Header, "Required: 1 to 64 visible ASCII characters (e.g. a UUID).")
            .Range("delta", request?.Delta, -AdjustStockRequest.MaxDelta, AdjustStockRequest.MaxDelta)
            .Check(request?.Delta != 0, "delta", "Must not be 0.")
            .Required("reason", reason, AdjustStockRequest.MaxReasonLength);
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        try
        {
            var result = await cluster.GetGrain<IInventoryGrain>(id).AdjustAsync(request!.Delta!.Value, reason!, user.Subject(), idempotencyKey);
            var levels = result.Levels;
            return result.Status switch
            {
                AdjustStatus.InsufficientAvailable => TypedResults.Problem(
                    $"Only {levels.Available} units are available; a correction can't take more.",
                    statusCode: StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?>
                    {
                        [ShopProblemDetails.CodeKey] = StockErrorCodes.InsufficientStock,
                        ["available"] = levels.Available,
                    }),
                AdjustStatus.KeyReused => ShopProblems.Problem(StatusCodes.Status422UnprocessableEntity, ShopErrorCodes.IdempotencyKeyReused,
                    "This Idempotency-Key was already used with a different delta or reason."),

                // A repeat answers what the first request answered, so a client that lost the first answer sees it now.
                _ => TypedResults.Ok(new StockLevelsResponse(levels.Total, levels.Available, levels.Reserved, levels.Sold, levels.Allotted)),
            };
        }
        catch (InventoryUnavailableException ex)
        {
            return Unavailable(ex);
        }
    }

    // The change was not stored and nothing was decided: the caller may retry.
    private static ProblemHttpResult Unavailable(InventoryUnavailableException ex) =>
        ShopProblems.Problem(StatusCodes.Status503ServiceUnavailable, ShopErrorCodes.ServiceUnavailable, ex.Message);
}
