using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Audit;

namespace Shop.Grains.Audit;

/// <summary>
/// Runs the stock audit every <see cref="StockAuditScheduleOptions.Interval"/> for the whole cluster: one activation,
/// one timer, so runs never overlap however many silos there are. It holds no state: every silo asks it for the latest
/// result each interval (<see cref="StockAuditScheduler"/>), which also brings it back on another silo when its own
/// silo is gone.
/// </summary>
public sealed partial class StockAuditScheduleGrain(
    StockAuditScheduleOptions options,
    StockAuditMetrics metrics,
    ILogger<StockAuditScheduleGrain> logger) : Grain, IStockAuditScheduleGrain
{
    private StockAuditSummary? _latest;
    private IGrainTimer? _timer;

    public Task<StockAuditSummary?> LatestAsync()
    {
        if (options.Interval > TimeSpan.Zero)
        {
            _timer ??= this.RegisterGrainTimer(RunAsync, new GrainTimerCreationOptions(TimeSpan.Zero, options.Interval) { KeepAlive = true });
        }

        return Task.FromResult(_latest);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var report = await GrainFactory.GetGrain<IStockAuditGrain>(0).RunAsync();
            var skus = report.Discrepancies.Select(d => d.Sku).Distinct(StringComparer.Ordinal).Count();
            _latest = new StockAuditSummary(report.AuditedAt, skus, report.Discrepancies.Length, report.CheckedSkus);
            metrics.AuditRun(_latest);
            if (skus > 0)
            {
                LogDiscrepancies(skus, report.CheckedSkus, string.Join(", ", report.Discrepancies.Take(5).Select(d => $"{d.Sku} {d.Kind}")));
            }
        }
        catch (Exception ex)
        {
            // The last result stays; the next interval tries again (e.g. PostgreSQL was briefly away).
            LogFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Stock audit: {Skus} of {Checked} SKUs do not add up (GET /api/admin/audit/stock lists them): {First}")]
    private partial void LogDiscrepancies(int skus, int @checked, string first);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The periodic stock audit failed; the next interval tries again")]
    private partial void LogFailed(Exception ex);
}
