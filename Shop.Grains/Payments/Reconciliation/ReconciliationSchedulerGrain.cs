using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Payments.Reconciliation;

namespace Shop.Grains.Payments.Reconciliation;

/// <summary>
/// The daily trigger: one durable reminder (every 15 minutes, on whichever silo is alive) starts the run of the latest
/// due bill date once <see cref="ReconciliationOptions.DailyAt"/> has passed, unless that date is already completed.
/// The date's own grain keeps a failed run going; the scheduler only makes sure each day gets one.
/// </summary>
public sealed class ReconciliationSchedulerGrain(
    ReconciliationStore store,
    IOptions<ReconciliationOptions> options,
    TimeProvider clock,
    ILogger<ReconciliationSchedulerGrain> logger) : Grain, IReconciliationSchedulerGrain, IRemindable
{
    private const string Reminder = "daily-bills";
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(15);

    public async Task StartAsync()
    {
        await this.RegisterOrUpdateReminder(Reminder, Period, Period);
        await TickAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status) => await TickAsync();

    public async Task<string?> TickAsync()
    {
        var date = options.Value.DueBillDate(clock.GetUtcNow());
        // A waiting date's own reminder asks WeChat Pay again; the scheduler only restarts a date that stopped.
        if (await store.GetRunAsync(date) is { Status: BillRunStatuses.Completed or BillRunStatuses.Running or BillRunStatuses.Waiting })
        {
            return null;
        }

        var key = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        logger.LogInformation("Starting the daily reconciliation of the bills of {BillDate}", key);
        await GrainFactory.GetGrain<IBillReconciliationGrain>(key).StartAsync("system:daily", rerun: false);
        return key;
    }
}

/// <summary>Reads and operator actions over the stored runs and differences.</summary>
[Orleans.Concurrency.StatelessWorker]
public sealed class ReconciliationQueryGrain(ReconciliationStore store, TimeProvider clock, ReconciliationMetrics metrics) : Grain, IReconciliationQueryGrain
{
    public Task<IReadOnlyList<BillRunView>> ListRunsAsync(int limit) => store.ListRunsAsync(limit);

    public Task<DifferencePage> ListDifferencesAsync(DifferenceQuery query) => store.ListDifferencesAsync(query);

    public async Task<ResolveOutcome> ResolveAsync(string id, string resolvedBy, string resolution)
    {
        var outcome = await store.ResolveAsync(id, resolvedBy, resolution, clock.GetUtcNow());
        if (outcome.Status == ResolveStatus.Resolved)
        {
            metrics.Resolved();
        }

        return outcome;
    }
}
