namespace Shop.Grains.Inventory;

public sealed class InventoryOptions
{
    public const int MaxQuantity = 1_000_000;
    public const int MaxOrderIdLength = 100;
    public const int MaxReasonLength = 200;

    /// <summary>How long the outcome of a confirmed or released order is remembered for idempotent repeats.</summary>
    public TimeSpan OutcomeRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a keyed adjustment is remembered for idempotent repeats: as long as an order's Idempotency-Key
    /// (a retry comes within seconds; 24 h also covers an admin who resubmits a form the next morning).
    /// </summary>
    public TimeSpan AdjustmentKeyRetention { get; set; } = Shop.Grains.Interfaces.Orders.IdempotencyKeys.Retention;

    /// <summary>At most this many keys are remembered per SKU (oldest forgotten first), so a script adjusting in a loop can't grow memory.</summary>
    public int MaxAdjustmentKeys { get; set; } = 10_000;

    /// <summary>
    /// A snapshot is written after at least this many events, and never more often than once per state size in
    /// events, so that snapshot cost per event stays constant however many reservations are live.
    /// </summary>
    public int SnapshotMinEvents { get; set; } = 1_000;

    /// <summary>How often the reminder wakes an idle grain while reservations are live (Orleans minimum: 1 minute).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A SKU holds a grain timer for its next expiry only once that expiry is this close (the reminder, ticking every
    /// <see cref="ReminderPeriod"/>, arms it); by default twice the reminder period. Must exceed the reminder period.
    /// </summary>
    public TimeSpan ExpiryTimerHorizon
    {
        get => _expiryTimerHorizon ?? ReminderPeriod * 2;
        set => _expiryTimerHorizon = value;
    }

    private TimeSpan? _expiryTimerHorizon;

    /// <summary>
    /// At most one write of the storefront list's "available" column per SKU in this interval: a hot SKU would otherwise
    /// add one statement per flush, i.e. per order at moderate load, for a number shoppers only glance at.
    /// </summary>
    public TimeSpan ProjectionInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait before trying again when the timer could not load or store expirations.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}
