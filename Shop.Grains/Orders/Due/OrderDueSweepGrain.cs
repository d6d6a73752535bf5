using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Hosting;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// Wakes every order whose due time has passed, and once each the orders whose due time comes within
/// <see cref="OrderOptions.DueTimerHorizon"/> (<see cref="IOrderStore.ListDueAsync"/>), which then act at their exact
/// time by their own timers. One durable reminder in PostgreSQL brings this grain back after restarts, on whichever
/// silo is alive; while active, a timer sweeps every <see cref="OrderOptions.DueSweepInterval"/>. Overdue orders are
/// mostly those whose activation is gone (idle, or lost with a silo). It also purges void Idempotency-Key records once
/// an hour.
/// </summary>
public sealed class OrderDueSweepGrain(
    IOrderStore orders,
    IIdempotencyStore idempotency,
    IOptions<OrderOptions> options,
    [FromKeyedServices(OrdersRegistration.ClockKey)] TimeProvider clock,
    ILogger<OrderDueSweepGrain> logger) : ClusterSweepGrain("due-orders", "Due-order sweep", logger), IOrderDueSweepGrain
{
    private const int PageSize = 1000;
    private const int MaxPagesPerSweep = 100;
    private const int Parallelism = 32;
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);

    private readonly OrderOptions _options = options.Value;
    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;

    /// <summary>Orders due up to here were woken ahead of time by this activation (a new one starts over: waking twice is harmless).</summary>
    private DateTimeOffset _wokenUntil = DateTimeOffset.MinValue;

    protected override TimeSpan ReminderPeriod => _options.ReminderPeriod;

    protected override TimeSpan SweepInterval => _options.DueSweepInterval;

    protected override Task SweepOnceAsync() => SweepAsync();

    public async Task<int> SweepAsync()
    {
        var now = clock.GetUtcNow();
        var horizon = now + _options.DueTimerHorizon;
        // Overdue orders (their activation is gone, or their due work failed), then, once each, the orders whose due
        // time came within the horizon since the last sweep: they set their own timers for the exact time.
        var (overdue, _) = await WakeAsync(now, after: null);
        var upcomingFrom = _wokenUntil > now ? _wokenUntil : now;
        var (upcoming, reached) = await WakeAsync(horizon, new DueOrder(upcomingFrom, ""));
        _wokenUntil = reached ?? horizon;
        await PurgeIdempotencyRecordsAsync();
        return overdue + upcoming;
    }

    /// <summary>Wakes the orders due by <paramref name="dueBy"/> after <paramref name="after"/>; returns how many, and where it stopped if a page limit cut it short.</summary>
    private async Task<(int Woken, DateTimeOffset? StoppedAt)> WakeAsync(DateTimeOffset dueBy, DueOrder? after)
    {
        var woken = 0;
        for (var page = 0; page < MaxPagesPerSweep; page++)
        {
            var due = await orders.ListDueAsync(dueBy, after, PageSize, CancellationToken.None);
            var done = 0;
            using var gate = new SemaphoreSlim(Parallelism);
            await Task.WhenAll(due.Select(async orderNo =>
            {
                // Awaited in this activation's context (grain calls may only start from it), at most Parallelism at once.
                await gate.WaitAsync();
                try
                {
                    await GrainFactory.GetGrain<IOrderGrain>(orderNo.OrderNo).WakeAsync();
                    done++;
                }
                catch (Exception ex)
                {
                    // It stays due: the next sweep tries again (e.g. WeChat Pay could not confirm the close yet).
                    logger.LogWarning(ex, "Due order {OrderNo} could not do its due work yet", orderNo.OrderNo);
                }
                finally
                {
                    gate.Release();
                }
            }));
            woken += done;

            // Keyset paging: orders that stay due (their work keeps failing) never hide the ones behind them.
            if (due.Count < PageSize)
            {
                return (woken, null);
            }

            after = due[^1];
        }

        return (woken, after?.DueAt);
    }

    private async Task PurgeIdempotencyRecordsAsync()
    {
        var now = clock.GetUtcNow();
        if (now < _nextPurge)
        {
            return;
        }

        _nextPurge = now + PurgeEvery;
        var purged = await idempotency.PurgeAsync(now - IdempotencyKeys.Retention, 10_000, CancellationToken.None);
        if (purged > 0)
        {
            logger.LogInformation("Purged {Count} Idempotency-Key records older than {Retention}", purged, IdempotencyKeys.Retention);
        }
    }
}
