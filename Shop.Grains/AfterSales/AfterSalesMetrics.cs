using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Hosting;

namespace Shop.Grains.AfterSales;

/// <summary>
/// After-sales counters of this silo: requests opened (by kind), merchant decisions (approve, reject, and the automatic
/// approval after <see cref="AfterSalesOptions.MerchantResponseTime"/>), refunds completed (requests and fen).
/// </summary>
public sealed class AfterSalesMetrics
{
    private readonly Counter<long> _opened;
    private readonly Counter<long> _decided;
    private readonly Counter<long> _refunded;
    private readonly Counter<long> _refundedFen;

    public AfterSalesMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ShopObservability.ShopSource);
        _opened = meter.CreateCounter<long>("shop.after_sales.opened", "{request}", "After-sales requests opened by customers, by kind (RefundOnly, ReturnAndRefund).");
        _decided = meter.CreateCounter<long>("shop.after_sales.decided", "{request}",
            "Merchant decisions on after-sales requests, by decision (Approve, Reject, AutoApprove: no decision within the merchant response time).");
        _refunded = meter.CreateCounter<long>("shop.after_sales.refunded", "{request}", "After-sales requests whose refund WeChat Pay completed.");
        _refundedFen = meter.CreateCounter<long>("shop.after_sales.refunded_fen", "{fen}", "Money refunded by after-sales requests, in fen.");
    }

    /// <summary>What a stored change of a request counts: its opening, the merchant's decision, the completed refund.</summary>
    public void Changed(AfterSalesRequest? before, AfterSalesRequest after)
    {
        if (before is null)
        {
            _opened.Add(1, new KeyValuePair<string, object?>("kind", after.Kind.ToString()));
            return;
        }

        if (before.Status == after.Status)
        {
            return;
        }

        if (before.Status == AfterSalesStatus.Requested && after.History.Count > 0
            && after.History[^1].Trigger is AfterSalesTrigger.Approve or AfterSalesTrigger.AutoApprove or AfterSalesTrigger.Reject)
        {
            _decided.Add(1, new KeyValuePair<string, object?>("decision", after.History[^1].Trigger.ToString()));
        }

        if (after.Status == AfterSalesStatus.Refunded)
        {
            _refunded.Add(1);
            _refundedFen.Add(after.AmountFen);
        }
    }
}

/// <summary>
/// Gauges of the cluster's after-sales requests, counted from the store every <see cref="AfterSalesOptions.MetricsInterval"/> (every silo
/// reports the same figures: take max, never sum): requests by status, how long the oldest one waiting for the
/// merchant's decision has waited, and the merchant response time it is approved automatically after, so the alert
/// ShopAfterSalesDecisionOverdue (deploy/prometheus) compares the two whatever the setting.
/// </summary>
public sealed class AfterSalesBacklog : BackgroundService
{
    private readonly IAfterSalesStore _store;
    private readonly TimeProvider _clock;
    private readonly ILogger<AfterSalesBacklog> _logger;
    private readonly TimeSpan _interval;
    private BacklogFigures? _figures;

    public AfterSalesBacklog(IAfterSalesStore store, IOptions<AfterSalesOptions> options, IMeterFactory meters,
        [FromKeyedServices(AfterSalesRegistration.ClockKey)] TimeProvider clock, ILogger<AfterSalesBacklog> logger)
    {
        (_store, _clock, _logger, _interval) = (store, clock, logger, options.Value.MetricsInterval);
        var meter = meters.Create(ShopObservability.ShopSource);
        meter.CreateObservableGauge("shop.after_sales.requests", ReadCounts, "{request}",
            "After-sales requests by status (Requested: to decide, AwaitingReturn, ReturnShipped: to receive, Refunding, and the final ones), cluster-wide.");
        meter.CreateObservableGauge("shop.after_sales.oldest_requested", ReadOldest, "s",
            "How long the oldest request waiting for the merchant's decision has waited (0 when none), cluster-wide.");
        var responseTime = options.Value.MerchantResponseTime.TotalSeconds;
        meter.CreateObservableGauge("shop.after_sales.merchant_response_time", () => responseTime, "s",
            "AfterSales:MerchantResponseTime: a request not decided within it is approved automatically.");
    }

    /// <summary>Nothing until the first count: a made-up 0 would hide a backlog nobody could read.</summary>
    private IEnumerable<Measurement<long>> ReadCounts() => Volatile.Read(ref _figures) is { } figures
        ? Enum.GetValues<AfterSalesStatus>().Select(s => new Measurement<long>(figures.Counts.GetValueOrDefault(s),
            [new KeyValuePair<string, object?>("status", s.ToString())]))
        : [];

    private IEnumerable<Measurement<double>> ReadOldest() =>
        Volatile.Read(ref _figures) is { } figures ? [new Measurement<double>(figures.OldestRequestedSeconds)] : [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The oldest Requested is the first of its list page (oldest first); the page also counts every status.
                var page = await _store.ListAsync(new AfterSalesListQuery(AfterSalesStatus.Requested, null, null, 1, 1), stoppingToken);
                var oldest = page.Items.Count > 0 ? Math.Max(0, (_clock.GetUtcNow() - page.Items[0].CreatedAt).TotalSeconds) : 0;
                Volatile.Write(ref _figures, new BacklogFigures(page.Counts, oldest));
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException or System.Text.Json.JsonException)
            {
                // The figure goes stale rather than wrong; readiness and the write-error metric tell about PostgreSQL.
                _logger.LogDebug(ex, "After-sales backlog not counted this time");
            }

            // Until the first count, try again soon: at a silo's start the schema migration may still be creating the table.
            await Task.Delay(Volatile.Read(ref _figures) is null ? TimeSpan.FromSeconds(1) : _interval, stoppingToken);
        }
    }

    private sealed record BacklogFigures(IReadOnlyDictionary<AfterSalesStatus, long> Counts, double OldestRequestedSeconds);
}
