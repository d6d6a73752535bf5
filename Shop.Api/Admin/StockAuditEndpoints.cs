using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Hosting;
using Shop.Client.Audit;
using Shop.Grains.Interfaces.Audit;
using Shop.Hosting;

namespace Shop.Api.Admin;

/// <summary>
/// <c>GET /api/admin/audit/stock</c>: an answer an operator (or an alert) can act on, from the stored stock log and
/// orders rather than any grain's memory.
/// </summary>
public static class StockAuditEndpoints
{
    public static RouteGroupBuilder MapStockAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGroup("/admin/audit").WithTags("Admin").RequireShopPolicy(ShopPolicies.Admin)
            .MapGet("/stock", AuditStockAsync).WithName("AuditStock")
            .WithSummary("Checks every SKU: received = available + reserved + sold, nothing oversold, reservations and sales match the orders.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    public static async Task<Ok<StockAuditResponse>> AuditStockAsync(IClusterClient cluster, ShopApiMetrics metrics, CancellationToken cancellationToken)
    {
        var report = await cluster.GetGrain<IStockAuditGrain>(0).RunAsync().WaitAsync(cancellationToken);
        // The alert on shop_stock_audit_discrepancies reads this: an operator's or a scheduled call of this route sets it.
        metrics.StockAuditCompleted(report.Discrepancies.Select(d => d.Sku).Distinct(StringComparer.Ordinal).Count());
        return TypedResults.Ok(new StockAuditResponse(report.CheckedSkus, report.CheckedOrders, report.AuditedAt, report.InFlightReservations,
            [.. report.Discrepancies.Select(d => new StockDiscrepancyResponse(d.Sku, d.Kind, d.Detail, d.Figures.Received, d.Figures.Total,
                d.Figures.Available, d.Figures.Reserved, d.Figures.Sold, d.Figures.ReservedForUnpaidOrders, d.Figures.SoldToPaidOrders,
                d.Figures.InFlight, d.Orders, d.OrderCount, d.Figures.Allotted))]));
    }
}
