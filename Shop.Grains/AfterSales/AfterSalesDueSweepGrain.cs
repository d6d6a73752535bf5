using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Shop.Grains.Interfaces.AfterSales;

namespace Shop.Grains.AfterSales;

/// <summary>
/// Wakes every request whose due time passed (automatic approval, the return deadline, following a refund). One
/// durable reminder brings it back after restarts on whichever silo is alive; while active, a timer sweeps every
/// <see cref="AfterSalesOptions.DueSweepInterval"/>. Due times are compared with the after-sales clock, which tests replace.
/// </summary>
public sealed class AfterSalesDueSweepGrain(
    IAfterSalesStore store,
    IOptions<AfterSalesOptions> options,
    [FromKeyedServices(AfterSalesRegistration.ClockKey)] TimeProvider clock,
    ILogger<AfterSalesDueSweepGrain> logger) : Grain, IAfterSalesDueSweepGrain, IRemindable
{
    private const string Reminder = "due-after-sales";
    private const int PageSize = 500;
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private IGrainTimer? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        StartTimer();
        return Task.CompletedTask;
    }

    public async Task StartAsync()
    {
        await this.RegisterOrUpdateReminder(Reminder, ReminderPeriod, ReminderPeriod);
        StartTimer();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        StartTimer();
        await SweepAsync();
    }

    public async Task<int> SweepAsync()
    {
        // One page per sweep: requests whose work keeps failing are due again only after RefundFollowUp, so they
        // never hide the ones behind them for long.
        var due = await store.ListDueAsync(clock.GetUtcNow(), PageSize);
        var woken = 0;
        foreach (var requestId in due)
        {
            try
            {
                await GrainFactory.GetGrain<IAfterSalesGrain>(requestId).WakeAsync();
                woken++;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Due after-sales request {RequestId} could not do its due work yet", requestId);
            }
        }

        return woken;
    }

    private void StartTimer() => _timer ??= this.RegisterGrainTimer(
        async _ =>
        {
            try
            {
                await SweepAsync();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "After-sales sweep failed; the next one retries");
            }
        },
        new GrainTimerCreationOptions(options.Value.DueSweepInterval, options.Value.DueSweepInterval) { KeepAlive = true });
}

/// <summary>Lists requests from the store (stateless: any silo answers).</summary>
[StatelessWorker]
public sealed class AfterSalesQueryGrain(IAfterSalesStore store) : Grain, IAfterSalesQueryGrain
{
    public Task<AfterSalesListPage> ListAsync(AfterSalesListQuery query) => store.ListAsync(query);
}

