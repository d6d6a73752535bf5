using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Audit;
using Shop.Hosting;

namespace Shop.Grains.Audit;

/// <summary><c>Audit:StockInterval</c>: how often the cluster audits its stock by itself (0: never, only on request).</summary>
public sealed record StockAuditScheduleOptions(TimeSpan Interval)
{
    /// <summary>
    /// An hour: an audit reads the whole stock log (measured in the benchmark: 13.8 s of PostgreSQL time per run over a log
    /// of ~4 million reservations, and the silo parses every event), so every 5 minutes would take a third of a flash
    /// sale's throughput. Incremental audits would allow a shorter default.
    /// </summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(1);

    public static StockAuditScheduleOptions FromConfiguration(IConfiguration configuration)
    {
        var raw = configuration["Audit:StockInterval"];
        if (raw is null)
        {
            return new(DefaultInterval);
        }

        return TimeSpan.TryParse(raw, CultureInfo.InvariantCulture, out var interval)
            && (interval == TimeSpan.Zero || (interval >= TimeSpan.FromSeconds(1) && interval <= TimeSpan.FromDays(1)))
            ? new(interval)
            : throw new ShopConfigurationException($"Audit:StockInterval '{raw}' must be 00:00:00 (off) or a duration from 00:00:01 to 1.00:00:00.");
    }
}

/// <summary>
/// The silo's side of the periodic audit: its gauge <c>shop_stock_audit_discrepancies</c> (SKUs that did not add up
/// at the cluster's latest audit) and <c>shop_stock_audit_runs_total</c> (audits this silo ran), the same names the API
/// exports for audits an operator asks for.
/// </summary>
public sealed class StockAuditMetrics
{
    private readonly Counter<long> _runs;
    private int _discrepancies;

    public StockAuditMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ShopObservability.ShopSource);
        _runs = meter.CreateCounter<long>("shop.stock_audit.runs", "{audit}", "Periodic stock audits this silo ran for the cluster (Audit:StockInterval).");
        meter.CreateObservableGauge("shop.stock_audit.discrepancies", () => Volatile.Read(ref _discrepancies), "{sku}",
            "SKUs whose stock did not add up at the cluster's latest periodic stock audit (0 before the first).");
    }

    public void AuditRun(StockAuditSummary summary)
    {
        _runs.Add(1);
        Seen(summary);
    }

    public void Seen(StockAuditSummary summary) => Volatile.Write(ref _discrepancies, summary.SkusWithDiscrepancy);
}

/// <summary>Every interval, asks the schedule grain for the latest result (keeping it alive somewhere) and shows it.</summary>
public sealed partial class StockAuditScheduler(
    IGrainFactory grains,
    StockAuditScheduleOptions options,
    StockAuditMetrics metrics,
    TimeProvider clock,
    ILogger<StockAuditScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Interval <= TimeSpan.Zero)
        {
            return;
        }

        // The first tick after one interval: the silo is active by then, and a fresh cluster has nothing to audit.
        using var ticks = new PeriodicTimer(options.Interval, clock);
        try
        {
            while (await ticks.WaitForNextTickAsync(stoppingToken))
            {
                await RefreshAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    private async Task RefreshAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (await grains.GetGrain<IStockAuditScheduleGrain>(IStockAuditScheduleGrain.Key).LatestAsync().WaitAsync(stoppingToken) is { } latest)
            {
                metrics.Seen(latest);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // While the cluster reshuffles (a silo gone, PostgreSQL away): the next tick asks again.
            LogNotReached(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stock audit schedule could not be reached; the next interval asks again")]
    private partial void LogNotReached(Exception ex);
}

public static class StockAuditScheduleRegistration
{
    /// <summary>The periodic stock audit (silo only): off when <c>Audit:StockInterval</c> is 0.</summary>
    public static IServiceCollection AddShopStockAuditSchedule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(StockAuditScheduleOptions.FromConfiguration(configuration));
        services.AddSingleton<StockAuditMetrics>();
        services.AddHostedService<StockAuditScheduler>();
        return services;
    }
}
