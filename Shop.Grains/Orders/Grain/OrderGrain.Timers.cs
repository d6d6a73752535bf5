using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// Time-driven work. A durable reminder (PostgreSQL) is the backstop that wakes the order after restarts or on another
/// silo; a one-shot grain timer hits the exact due time while the order is active (reminders tick at most once a
/// minute). Both run the same idempotent check, so firing twice changes nothing.
/// </summary>
public sealed partial class OrderGrain
{
    private const string PaymentReminder = "payment-timeout";
    private const string AutoCompleteReminder = "auto-complete";
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(30);

    private readonly Dictionary<string, IGrainReminder> _reminders = new(StringComparer.Ordinal);
    private IGrainTimer? _dueTimer;
    private IGrainTimer? _publishTimer;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await DueWorkAsync();
        var finished = reminderName switch
        {
            PaymentReminder => !Order.Exists || (Order.Phase != OrderPhase.Reserving && Order.Progress.Status != OrderStatus.PendingPayment)
                || Order.Phase == OrderPhase.Rejected,
            AutoCompleteReminder => !Order.Exists || Order.Progress.Status != OrderStatus.Shipped,
            _ => true,
        };
        if (finished)
        {
            await StopReminderAsync(reminderName);
        }
    }

    private Task EnsurePaymentReminderAsync() => EnsureReminderAsync(PaymentReminder, Order.ExpiresAt);

    private async Task EnsureReminderAsync(string name, DateTimeOffset dueAt)
    {
        var due = dueAt - clock.GetUtcNow();
        _reminders[name] = await this.RegisterOrUpdateReminder(name, due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due, _options.ReminderPeriod);
    }

    private async Task StopReminderAsync(string name)
    {
        var reminder = _reminders.GetValueOrDefault(name) ?? await this.GetReminder(name);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminders.Remove(name);
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
                await StopReminderAsync(AutoCompleteReminder);
            }
            else
            {
                ScheduleDueWork(dueAt - now);
            }
        }
    }
}
