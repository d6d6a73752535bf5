namespace Shop.Grains.PersonalData.Erasure;

/// <summary>The <c>Privacy</c> section: retention and the personal-data sweep.</summary>
public sealed class PrivacyOptions
{
    /// <summary>How long after a finished order's last change its personal fields are kept (3 years).</summary>
    public int RetentionDays { get; set; } = 1095;

    /// <summary>How often the cluster's one personal-data sweep runs (due erasure requests, then retention).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The period of the durable reminder that revives the sweep after restarts.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How soon a pending erasure looks again at an order whose wait has no date (paid but not shipped, a refund).</summary>
    public TimeSpan ErasureRecheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Orders per retention page; a sweep takes at most ten pages, the next sweep goes on.</summary>
    public int RetentionBatchSize { get; set; } = 200;
}
