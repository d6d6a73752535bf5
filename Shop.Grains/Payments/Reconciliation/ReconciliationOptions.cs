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

    /// <summary>The latest bill date that should be reconciled at <paramref name="now"/>.</summary>
    public DateOnly DueBillDate(DateTimeOffset now)
    {
        var local = now.ToOffset(Beijing);
        var today = DateOnly.FromDateTime(local.DateTime);
        return local.TimeOfDay >= DailyAt ? today.AddDays(-1) : today.AddDays(-2);
    }

    public static DateTimeOffset DayStart(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Beijing);
}
