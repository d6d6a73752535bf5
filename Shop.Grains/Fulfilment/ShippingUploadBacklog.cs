using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Hosting;

namespace Shop.Grains.Fulfilment;

/// <summary>
/// Gauges of the orders whose shipping information is not at WeChat, counted from the orders table every
/// <see cref="Interval"/> (cluster-wide figures: every silo reports the same, so take max). The alert on the oldest
/// un-uploaded order is deploy/prometheus/shop-alerts.yml ShopShippingUploadOverdue.
/// </summary>
public sealed class ShippingUploadBacklog : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private readonly IShippingUploadStore _store;
    private readonly ILogger<ShippingUploadBacklog> _logger;
    private ShippingUploadBacklogFigures? _figures;

    public ShippingUploadBacklog(IShippingUploadStore store, IMeterFactory meters, ILogger<ShippingUploadBacklog> logger)
    {
        _store = store;
        _logger = logger;
        var meter = meters.Create(ShopObservability.ShopSource);
        meter.CreateObservableGauge("shop.shipping.uploads.waiting", () => Read(f => f.Pending), "{order}",
            "Shipped orders whose shipping information is still to be uploaded to WeChat (pending, retrying), cluster-wide.");
        meter.CreateObservableGauge("shop.shipping.uploads.failed", () => Read(f => f.Failed), "{order}",
            "Orders whose upload stopped (WeChat refused it, or retries ran out): an admin must retry or correct them, cluster-wide.");
        meter.CreateObservableGauge("shop.shipping.uploads.oldest_waiting", () => Read(f => f.OldestWaitingSeconds), "s",
            "How long the oldest order whose shipping information is not at WeChat (pending or failed) has waited since it shipped (0 when none), cluster-wide.");
    }

    /// <summary>Nothing until the first count: a made-up 0 would hide a backlog nobody could read.</summary>
    private IEnumerable<Measurement<T>> Read<T>(Func<ShippingUploadBacklogFigures, T> pick) where T : struct =>
        Volatile.Read(ref _figures) is { } figures ? [new Measurement<T>(pick(figures))] : [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                Volatile.Write(ref _figures, await _store.CountAsync(stoppingToken));
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException or System.Text.Json.JsonException)
            {
                // The figure goes stale rather than wrong; readiness and the write-error metric tell about PostgreSQL.
                _logger.LogDebug(ex, "Shipping upload backlog not counted this time");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
