using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Payments.Reconciliation;

namespace Shop.Grains.Payments.Reconciliation;

/// <summary>
/// The daily trigger: one durable reminder (every <see cref="ReconciliationOptions.CheckEvery"/>, on whichever silo is
/// alive) starts the run of the latest due bill date once <see cref="ReconciliationOptions.DailyAt"/> has passed, and
/// goes back for the dates of the look-back window that never ran (an outage longer than a day) or failed (a wait for
/// the bills that ran out, a bill refused), a few per check (see <see cref="ToStart"/>). Running and waiting dates are left to their
/// own grain and reminder; one grain per date means a date never runs twice at once however often it is started.
/// </summary>
public sealed class ReconciliationSchedulerGrain(
    ReconciliationStore store,
    IOptions<ReconciliationOptions> options,
    TimeProvider clock,
    ILogger<ReconciliationSchedulerGrain> logger) : Grain, IReconciliationSchedulerGrain, IRemindable
{
    /// <summary>Who the runs of older dates are requested by (the due date's is <see cref="DailyActor"/>): visible in the runs list.</summary>
    public const string CatchUpActor = "system:catch-up";
    public const string DailyActor = "system:daily";

    /// <summary>
    /// Older dates started per check, besides the due one: a month missed catches up in a few hours without fetching a
    /// month of bills and matching them all at once.
    /// </summary>
    public const int CatchUpPerCheck = 3;

    private const string Reminder = "daily-bills";

    public async Task StartAsync()
    {
        var period = options.Value.CheckEvery;
        await this.RegisterOrUpdateReminder(Reminder, period, period);
        await TickAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status) => await TickAsync();

    public async Task<IReadOnlyList<string>> TickAsync()
    {
        var due = options.Value.DueBillDate(clock.GetUtcNow());
        var started = new List<string>();
        foreach (var date in ToStart(await store.UnreconciledDatesAsync(due, options.Value.LookBackFrom(due)), due))
        {
            var key = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var actor = date == due ? DailyActor : CatchUpActor;
            logger.LogInformation("Starting the reconciliation of the bills of {BillDate} ({RequestedBy})", key, actor);
            await GrainFactory.GetGrain<IBillReconciliationGrain>(key).StartAsync(actor, rerun: false);
            started.Add(key);
        }

        return started;
    }

    /// <summary>
    /// Of the window's dates without a completed run (oldest first), those to start now: the due date, then at most
    /// <see cref="CatchUpPerCheck"/> older ones: those that never ran, oldest first, then failed ones, the longest since
    /// their last start first (so a few dates that keep failing, e.g. a bill that is refused every time, cannot take every
    /// turn from a date whose wait ran out). A running or waiting date is carried on by its own grain.
    /// </summary>
    public static IReadOnlyList<DateOnly> ToStart(IReadOnlyList<UnreconciledDate> unreconciled, DateOnly due)
    {
        var startable = unreconciled.Where(d => d.Status is null or BillRunStatuses.Failed).ToList();
        var older = startable.Where(d => d.Date != due && d.Status is null).OrderBy(d => d.Date)
            .Concat(startable.Where(d => d.Date != due && d.Status is not null).OrderBy(d => d.StartedAt));
        return [.. startable.Where(d => d.Date == due).Select(d => d.Date), .. older.Take(CatchUpPerCheck).Select(d => d.Date)];
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
