using System.Diagnostics.Metrics;
using Shop.Hosting;

namespace Shop.Api.Hosting;

/// <summary>
/// Business metrics of the API, beside the ASP.NET Core and runtime ones on <c>/metrics</c>. Names as Prometheus
/// renders them are in <see cref="Names"/>; tag values come from small fixed sets, never ids.
/// </summary>
public sealed class ShopApiMetrics
{
    private readonly Counter<long> _ordersRejected;
    private readonly Counter<long> _notifications;
    private readonly Counter<long> _stockAudits;
    private long _stockAuditDiscrepancies;

    public ShopApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ShopObservability.ShopSource);
        // The silo counts what its order creation decides (created, out_of_stock, ...); the API what never reaches it.
        _ordersRejected = meter.CreateCounter<long>("shop.orders.rejected", "{order}",
            "Order requests refused, by reason (validation, out_of_stock, product_unavailable, idempotency_key_reused, unavailable, campaign, hoarding).");
        _notifications = meter.CreateCounter<long>("shop.wechatpay.notifications", "{notification}",
            "WeChat Pay notifications answered, by outcome (accepted, refused) and HTTP status; refused ones are delivered again.");
        _stockAudits = meter.CreateCounter<long>("shop.stock_audit.runs", "{audit}", "Stock audits run (GET /api/admin/audit/stock).");
        meter.CreateObservableGauge("shop.stock_audit.discrepancies", () => Volatile.Read(ref _stockAuditDiscrepancies), "{sku}",
            "SKUs whose stock did not add up at the last stock audit this API ran (0 before the first).");
    }

    /// <summary>Metric names as Prometheus renders them (counters end in _total).</summary>
    public static class Names
    {
        public const string OrdersRejected = "shop_orders_rejected_total";
        public const string Notifications = "shop_wechatpay_notifications_total";
        public const string StockAuditRuns = "shop_stock_audit_runs_total";
        public const string StockAuditDiscrepancies = "shop_stock_audit_discrepancies";
    }

    public void OrderRejected(string reason) => _ordersRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void NotificationAnswered(int status) => _notifications.Add(1,
        new KeyValuePair<string, object?>("outcome", status is >= 200 and < 300 ? "accepted" : "refused"),
        new KeyValuePair<string, object?>("status", status));

    /// <summary>For the stock audit endpoint: how many SKUs did not add up this time.</summary>
    public void StockAuditCompleted(int skusWithDiscrepancy)
    {
        _stockAudits.Add(1);
        Volatile.Write(ref _stockAuditDiscrepancies, skusWithDiscrepancy);
    }

    /// <summary>
    /// On <c>POST /api/orders</c>, outside request validation: counts the 400s (body rules, Idempotency-Key) that never
    /// reach the grain.
    /// </summary>
    public static async ValueTask<object?> CountValidationRejections(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status400BadRequest })
        {
            context.HttpContext.RequestServices.GetRequiredService<ShopApiMetrics>().OrderRejected("validation");
        }

        return result;
    }
}
