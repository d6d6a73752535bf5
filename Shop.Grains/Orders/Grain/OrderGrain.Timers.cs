using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// Time-driven work. The due-order sweep (<see cref="OrderDueSweepGrain"/>: one reminder in PostgreSQL for the whole
/// cluster) wakes each order once its stored due time comes within <see cref="OrderOptions.DueTimerHorizon"/>; the
/// order then sets a one-shot grain timer for the exact time. The sweep also wakes any order whose due time has
/// passed, after restarts and on whichever silo is alive. Both run the same idempotent check, so waking twice changes
/// nothing.
/// </summary>
public sealed partial class OrderGrain
{
    private IGrainTimer? _dueTimer;
    private DateTimeOffset _dueTimerAt;
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

    /// <summary>
    /// A timer for <paramref name="at"/> when it is within <see cref="OrderOptions.DueTimerHorizon"/>; a later time is
    /// left to the sweep, which wakes the order once it comes that close. A timer per unpaid order would hold every
    /// unpaid order of a sale (hundreds of thousands) in the runtime's timer queue, which is walked three times a second.
    /// </summary>
    private void ScheduleDueWork(DateTimeOffset at)
    {
        if (_dueTimer is not null && _dueTimerAt == at)
        {
            return;
        }

        _dueTimer?.Dispose();
        _dueTimer = null;
        var due = at - clock.GetUtcNow();
        if (due > _options.DueTimerHorizon)
        {
            return;
        }

        _dueTimerAt = at;
        _dueTimer = this.RegisterGrainTimer(_ =>
        {
            // Spent: a timer that fired a little early must be set again for the same time, not taken as still pending.
            _dueTimer?.Dispose();
            _dueTimer = null;
            return DueWorkAsync();
        }, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
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
                ScheduleDueWork(Order.ExpiresAt);
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
                ScheduleDueWork(dueAt);
            }
        }
    }
}
