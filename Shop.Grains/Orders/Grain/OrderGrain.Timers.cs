using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// Time-driven work. While the order is active a one-shot grain timer hits the exact due time; the durable backstop is
/// the due-order sweep (<see cref="OrderDueSweepGrain"/>: one reminder in PostgreSQL for the whole cluster), which wakes
/// any order whose stored due time has passed, after restarts and on whichever silo is alive. Both run the same
/// idempotent check, so waking twice changes nothing.
/// </summary>
public sealed partial class OrderGrain
{
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(30);

    private IGrainTimer? _dueTimer;
    private IGrainTimer? _publishTimer;

    public Task WakeAsync() => DueWorkAsync();

    /// <summary>A reminder that a version before the due-order sweep registered for this order: the sweep covers it now.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await DueWorkAsync();
        if (await this.GetReminder(reminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private void ScheduleDueWork(TimeSpan due)
    {
        _dueTimer?.Dispose();
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due > MaxTimerDue ? MaxTimerDue : due;
        _dueTimer = this.RegisterGrainTimer(_ => DueWorkAsync(), due, Timeout.InfiniteTimeSpan);
    }

    private void SchedulePublishRetry(TimeSpan due)
    {
        if (_publishTimer is not null)
        {
            return;
        }

        _publishTimer = this.RegisterGrainTimer(async _ =>
        {
            _publishTimer?.Dispose();
            _publishTimer = null;
            await PublishPendingAsync();
        }, due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Does whatever is due now: finish an interrupted create, release stock again, close or complete the order.</summary>
    private async Task DueWorkAsync()
    {
        if (!Order.Exists)
        {
            return;
        }

        if (Order.Phase == OrderPhase.Reserving)
        {
            await FinishReservingAsync();
        }

        if (Order.Phase != OrderPhase.Active)
        {
            return;
        }

        if (Order.Stock == StockPhase.Releasing)
        {
            await ReleaseStockAsync();
        }

        await UploadShippingInfoIfDueAsync();

        var now = clock.GetUtcNow();
        if (Order.Progress.Status == OrderStatus.PendingPayment)
        {
            if (now >= Order.ExpiresAt && Move(OrderTrigger.PaymentTimeout, "system", "not paid in time") is { } closed)
            {
                if (await PaidAtWeChatPayBeforeTimeoutAsync() is { } payment)
                {
                    await MarkPaidAsync(payment);
                    return;
                }

                await CloseAsync(closed, "timeout");
            }
            else
            {
                ScheduleDueWork(Order.ExpiresAt - now);
            }
        }
        else if (Order.Progress.Status == OrderStatus.Shipped && Order.Shipment is { } shipment)
        {
            var dueAt = shipment.ShippedAt + _options.AutoCompleteAfterShipping;
            if (now >= dueAt && Move(OrderTrigger.AutoComplete, "system", "not confirmed in time") is { } completed)
            {
                var (id, at) = Stamp();
                await CommitAsync(WithEvent(completed, new OrderCompleted(id, OrderNo, at, Automatic: true)));
            }
            else
            {
                ScheduleDueWork(dueAt - now);
            }
        }
    }
}
