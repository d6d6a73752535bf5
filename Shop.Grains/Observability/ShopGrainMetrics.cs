using System.Diagnostics.Metrics;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Inventory;
using Shop.Hosting;

namespace Shop.Grains.Observability;

/// <summary>
/// Business metrics of the silo, beside the runtime, ASP.NET Core and Orleans ones on <c>/metrics</c>. Names as
/// Prometheus renders them are in <see cref="Names"/>; the alert rules and the Grafana dashboard in deploy/ use them.
/// Tag values come from small fixed sets (statuses, reasons, operations), never ids, so cardinality stays bounded.
/// </summary>
public sealed class ShopGrainMetrics
{
    /// <summary>Static because the cross-grain group commit is built by the stores without the container.</summary>
    private static long s_storageWriteErrors;

    private readonly Counter<long> _ordersCreated;
    private readonly Counter<long> _ordersRejected;
    private readonly Counter<long> _reservations;
    private readonly Counter<long> _releases;
    private readonly Counter<long> _confirmations;
    private readonly Counter<long> _reconciliationQueries;
    private readonly Counter<long> _refunds;
    private readonly Histogram<double> _wechatPayDuration;
    private readonly Counter<long> _wechatPayErrors;

    public ShopGrainMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ShopObservability.ShopSource);
        _ordersCreated = meter.CreateCounter<long>("shop.orders.created", "{order}", "Orders created (first answers only; Idempotency-Key replays are not counted).");
        _ordersRejected = meter.CreateCounter<long>("shop.orders.rejected", "{order}",
            "Order requests refused, by reason (validation, out_of_stock, product_unavailable, idempotency_key_reused, unavailable, campaign, hoarding).");
        _reservations = meter.CreateCounter<long>("shop.inventory.reservations", "{reservation}", "Reservations stored (stock held for an order).");
        _releases = meter.CreateCounter<long>("shop.inventory.releases", "{reservation}", "Reservations given back, by reason (cancelled, expired).");
        _confirmations = meter.CreateCounter<long>("shop.inventory.confirmations", "{reservation}", "Reservations turned into sold stock (the order was paid).");
        _reconciliationQueries = meter.CreateCounter<long>("shop.payments.reconciliation.queries", "{query}",
            "Reconciliation queries of an order's WeChat Pay transaction, by outcome (paid, unpaid, failed).");
        _refunds = meter.CreateCounter<long>("shop.refunds", "{refund}", "Refunds entering a status (SUBMITTING, PROCESSING, SUCCESS, CLOSED, ABNORMAL, REJECTED).");
        _wechatPayDuration = meter.CreateHistogram<double>("shop.wechatpay.call.duration", "s",
            "WeChat Pay API calls (each attempt), by operation and outcome (ok, error).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _wechatPayErrors = meter.CreateCounter<long>("shop.wechatpay.call.errors", "{call}",
            "WeChat Pay API attempts that failed, by operation and kind (HTTP status class, timeout, network).");
        meter.CreateObservableCounter("shop.storage.write.errors", () => Volatile.Read(ref s_storageWriteErrors), "{error}",
            "Writes to PostgreSQL by the project's own stores (orders, idempotency, inventory, catalog, events) that failed (this process).");
    }

    /// <summary>Metric names as Prometheus renders them (counters end in _total, seconds in _seconds).</summary>
    public static class Names
    {
        public const string OrdersCreated = "shop_orders_created_total";
        public const string OrdersRejected = "shop_orders_rejected_total";
        public const string Reservations = "shop_inventory_reservations_total";
        public const string Releases = "shop_inventory_releases_total";
        public const string Confirmations = "shop_inventory_confirmations_total";
        public const string ReconciliationQueries = "shop_payments_reconciliation_queries_total";
        public const string ReconciliationWaiting = "shop_payments_reconciliation_waiting";
        public const string ReconciliationOverdue = "shop_payments_reconciliation_overdue";
        public const string Refunds = "shop_refunds_total";
        public const string WeChatPayCallDuration = "shop_wechatpay_call_duration_seconds";
        public const string WeChatPayCallErrors = "shop_wechatpay_call_errors_total";
        public const string StorageWriteErrors = "shop_storage_write_errors_total";
        public const string NotificationsRejected = "shop_wechatpay_notifications_rejected_total";
    }

    /// <summary>What the first request with an Idempotency-Key got (a replay never comes here).</summary>
    public void OrderAnswered(OrderOutcome outcome)
    {
        if (outcome.Status == OrderOutcomeStatus.Ok)
        {
            _ordersCreated.Add(1);
            return;
        }

        _ordersRejected.Add(1, new KeyValuePair<string, object?>("reason", outcome.Status switch
        {
            OrderOutcomeStatus.OutOfStock => "out_of_stock",
            OrderOutcomeStatus.ProductUnavailable => "product_unavailable",
            OrderOutcomeStatus.Unavailable => "unavailable",
            OrderOutcomeStatus.CampaignUnknown or OrderOutcomeStatus.CampaignNotStarted or OrderOutcomeStatus.CampaignEnded
                or OrderOutcomeStatus.CampaignSoldOut or OrderOutcomeStatus.CampaignLimitReached => "campaign",
            OrderOutcomeStatus.UnpaidOrderLimit or OrderOutcomeStatus.UnpaidUnitsLimit => "hoarding",
            _ => "other",
        }));
    }

    public static void StorageWriteFailed() => Interlocked.Increment(ref s_storageWriteErrors);

    /// <summary>Called once a batch of stock events is stored: what was decided is now true.</summary>
    public void InventoryStored(IReadOnlyList<InventoryEvent> events)
    {
        foreach (var change in events)
        {
            switch (change)
            {
                case StockReserved:
                    _reservations.Add(1);
                    break;
                case ReservationConfirmed:
                    _confirmations.Add(1);
                    break;
                case ReservationReleased released:
                    _releases.Add(1, new KeyValuePair<string, object?>("reason", released.Reason == Shop.Grains.Interfaces.Inventory.ReleaseReason.Expired ? "expired" : "cancelled"));
                    break;
            }
        }
    }

    public void ReconciliationQueried(string outcome) => _reconciliationQueries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void RefundStatus(string status) => _refunds.Add(1, new KeyValuePair<string, object?>("status", status));

    internal void WeChatPayCall(string operation, TimeSpan elapsed, string? errorKind)
    {
        var op = new KeyValuePair<string, object?>("operation", operation);
        _wechatPayDuration.Record(elapsed.TotalSeconds, op, new KeyValuePair<string, object?>("outcome", errorKind is null ? "ok" : "error"));
        if (errorKind is not null)
        {
            _wechatPayErrors.Add(1, op, new KeyValuePair<string, object?>("kind", errorKind));
        }
    }
}
