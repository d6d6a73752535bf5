namespace Shop.Grains.Orders;

/// <summary>The <c>Orders</c> configuration section's timings.</summary>
public sealed class OrderOptions
{
    /// <summary>An unpaid order closes itself (and releases its stock) this long after creation.</summary>
    public TimeSpan PaymentTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A shipped order completes itself this long after shipping unless the customer confirmed receipt.</summary>
    public TimeSpan AutoCompleteAfterShipping { get; set; } = TimeSpan.FromDays(10);

    /// <summary>
    /// Reservations outlive the order's own timeout by this much, so the order (which will also close the payment
    /// transaction) releases first; the inventory's self-expiry is only the backstop.
    /// </summary>
    public TimeSpan ReservationGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The period of the due-order sweep's durable reminder, which revives the sweep after restarts (Orleans' minimum is 1 minute by default).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the active due-order sweep looks for orders whose due time passed or comes within <see cref="DueTimerHorizon"/>.</summary>
    public TimeSpan DueSweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Orders hold a timer only for a due time this close (two sweep intervals, so the sweep that wakes an order is at
    /// least one interval early); until then the sweep keeps the time for them.
    /// </summary>
    public TimeSpan DueTimerHorizon => DueSweepInterval * 2;

    /// <summary>How often an order retries publishing events that a sink refused.</summary>
    public TimeSpan OutboxRetry { get; set; } = TimeSpan.FromSeconds(5);
}
