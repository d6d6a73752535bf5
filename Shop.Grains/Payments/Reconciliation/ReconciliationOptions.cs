namespace Shop.Grains.Payments.Reconciliation;

/// <summary>Settings of the daily bill reconciliation (section <c>Reconciliation</c>).</summary>
public sealed record ReconciliationOptions
{
    public const string Section = "Reconciliation";

    /// <summary>Bills are made in Beijing time (UTC+8, no daylight saving), and so are bill dates and <see cref="DailyAt"/>.</summary>
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>
    /// Beijing time of day from which yesterday's bills are fetched. WeChat Pay starts making them at 09:00 and advises
    /// fetching after 10:00.
    /// </summary>
    public TimeSpan DailyAt { get; init; } = TimeSpan.FromHours(10);

    /// <summary>How soon a failed run (WeChat Pay unreachable, a bill refused) is tried again.</summary>
    public TimeSpan RetryEvery { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// MISSING_FROM_BILL looks at payments recorded here on the bill date of orders created from this long before the
    /// date's start (the orders are found by their creation time): a payment can come no later than the order's payment
    /// timeout (Orders:PaymentTimeout, 15 minutes by default, campaign orders shorter), so 2 days leaves a wide margin.
    /// </summary>
    public TimeSpan MissingFromBillWindow { get; init; } = TimeSpan.FromDays(2);

    /// <summary>
    /// The same rule for REFUND_MISSING_FROM_BILL: refunds recorded SUCCESS here on the bill date, of orders created from
    /// this long before the date's start. Refunds come long after payment (after-sales: 7 days after completion, which
    /// itself comes up to 10 days after shipping), hence a longer default; a refund of an older order is not checked.
    /// </summary>
    public TimeSpan RefundMissingFromBillWindow { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a run waits for bills WeChat Pay is still making (STATEMENT_CREATING), retrying every
    /// <see cref="RetryEvery"/>, before it gives the date up as failed (an operator re-runs it).
    /// </summary>
    public TimeSpan BillWaitLimit { get; init; } = TimeSpan.FromHours(12);

    /// <summary>
    /// How many bill dates, up to the latest due one, must each have a completed run: the scheduler restarts those that
    /// never ran or failed (a few per check, see ReconciliationSchedulerGrain.ToStart) and the unreconciled-days gauge counts those without one. The
    /// window never starts before the first date ever run (a new shop is not sent back into days before reconciliation
    /// existed). 31 keeps a month, well inside the 3 months WeChat Pay keeps bills.
    /// </summary>
    public int LookBackDays { get; init; } = 31;

    /// <summary>How often the scheduler looks for a due, missing or failed bill date to start.</summary>
    public TimeSpan CheckEvery { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The latest bill date that should be reconciled at <paramref name="now"/>.</summary>
    public DateOnly DueBillDate(DateTimeOffset now)
    {
        var local = now.ToOffset(Beijing);
        var today = DateOnly.FromDateTime(local.DateTime);
        return local.TimeOfDay >= DailyAt ? today.AddDays(-1) : today.AddDays(-2);
    }

    /// <summary>The first bill date of the look-back window ending at <paramref name="due"/> (before the first run's bound).</summary>
    public DateOnly LookBackFrom(DateOnly due) => due.AddDays(1 - Math.Max(1, LookBackDays));

    public static DateTimeOffset DayStart(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Beijing);
}
