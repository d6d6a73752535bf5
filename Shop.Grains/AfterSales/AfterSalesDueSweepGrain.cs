using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Shop.Grains.Hosting;
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
    ILogger<AfterSalesDueSweepGrain> logger) : ClusterSweepGrain("due-after-sales", "After-sales sweep", logger), IAfterSalesDueSweepGrain
{
    private const int PageSize = 500;

    protected override TimeSpan ReminderPeriod => TimeSpan.FromMinutes(1);

    protected override TimeSpan SweepInterval => options.Value.DueSweepInterval;

    protected override Task SweepOnceAsync() => SweepAsync();

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
}

/// <summary>Lists requests from the store (stateless: any silo answers).</summary>
[StatelessWorker]
public sealed class AfterSalesQueryGrain(IAfterSalesStore store) : Grain, IAfterSalesQueryGrain
{
    public Task<AfterSalesListPage> ListAsync(AfterSalesListQuery query) => store.ListAsync(query);
}

