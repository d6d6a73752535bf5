using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Payments.Reconciliation;
using Shop.Hosting;

namespace Shop.Grains.Payments.Reconciliation;

/// <summary>
/// Differences found by the bill runs (by kind and by what became of them) and, cluster-wide from PostgreSQL every
/// <see cref="Interval"/>, how many are left open, the end of the latest bill day reconciled completely (the alert
/// "yesterday stays unreconciled" compares it with the time) and how many days of the look-back window have no completed
/// run (a failed or skipped day behind a later completed one). Every silo reports the same cluster-wide gauges: take max.
/// </summary>
public sealed class ReconciliationMetrics : BackgroundService
{
    public const string DifferencesName = "shop_reconciliation_differences_total";
    public const string OpenName = "shop_reconciliation_differences_open";
    public const string LastDayName = "shop_reconciliation_last_completed_day_end_seconds";
    public const string UnreconciledDaysName = "shop_reconciliation_unreconciled_days";
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private readonly ReconciliationStore _store;
    private readonly IOptions<ReconciliationOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<ReconciliationMetrics> _logger;
    private readonly Counter<long> _differences;
    private readonly Counter<long> _resolved;
    private long _open = -1;
    private long _lastDayEnd = -1;
    private long _unreconciledDays = -1;

    public ReconciliationMetrics(ReconciliationStore store, IOptions<ReconciliationOptions> options, TimeProvider clock, IMeterFactory meters,
        ILogger<ReconciliationMetrics> logger)
    {
        _store = store;
        _options = options;
        _clock = clock;
        _logger = logger;
        var meter = meters.Create(ShopObservability.ShopSource);
        _differences = meter.CreateCounter<long>("shop.reconciliation.differences", "{difference}",
            "Differences between WeChat Pay's bills and the shop's records found by bill runs, by kind and status (settled by the job, or open).");
        _resolved = meter.CreateCounter<long>("shop.reconciliation.resolutions", "{difference}", "Open differences resolved by an operator.");
        meter.CreateObservableGauge("shop.reconciliation.differences.open", () => Read(ref _open), "{difference}",
            "Differences waiting for an operator, cluster-wide.");
        meter.CreateObservableGauge("shop.reconciliation.last_completed_day_end", () => Read(ref _lastDayEnd), "s",
            "Unix time at which the latest completely reconciled bill day ended (midnight Beijing time after it).");
        meter.CreateObservableGauge("shop.reconciliation.unreconciled_days", () => Read(ref _unreconciledDays), "{day}",
            "Bill dates of the last Reconciliation:LookBackDays up to the latest due one (not before the first date ever run) without a completed run, cluster-wide.");
    }

    public void Found(IEnumerable<Finding> findings)
    {
        foreach (var f in findings)
        {
            _differences.Add(1, new KeyValuePair<string, object?>("kind", f.Kind), new KeyValuePair<string, object?>("status", f.Status));
        }
    }

    public void Resolved() => _resolved.Add(1);

    private static IEnumerable<Measurement<long>> Read(ref long field)
    {
        var value = Volatile.Read(ref field);
        return value < 0 ? [] : [new Measurement<long>(value)];
    }

    /// <summary>Read at once and then every <see cref="Interval"/>; until the first read succeeds (the schema may still be migrating), every second.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var read = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = _options.Value.DueBillDate(_clock.GetUtcNow());
                var (open, last, unreconciled) = await _store.HealthAsync(due, _options.Value.LookBackFrom(due), stoppingToken);
                Volatile.Write(ref _unreconciledDays, unreconciled);
                Volatile.Write(ref _open, open);
                // 0 (1970) until a day completes: an alert on the lag then fires unless the first run completes soon.
                Volatile.Write(ref _lastDayEnd, last is { } day ? ReconciliationOptions.DayStart(day.AddDays(1)).ToUnixTimeSeconds() : 0);
                read = true;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                _logger.LogDebug(ex, "Reconciliation figures not read this time");
            }

            try
            {
                await Task.Delay(read ? Interval : TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
