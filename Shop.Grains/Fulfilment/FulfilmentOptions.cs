namespace Shop.Grains.Fulfilment;

/// <summary>Settings of shipping (section "Fulfilment").</summary>
public sealed class FulfilmentOptions
{
    public const string Section = "Fulfilment";

    /// <summary>Attempts of one upload (the first included) before it stops as Failed for an admin to retry.</summary>
    public int UploadMaxAttempts { get; set; } = 10;

    /// <summary>Wait after the first failed attempt; doubled after each further one, up to <see cref="UploadRetryMaxDelay"/>.</summary>
    public TimeSpan UploadRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan UploadRetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The cached access token is replaced this long before WeChat says it expires (WeChat itself issues the next one
    /// 5 minutes early and keeps both valid meanwhile).
    /// </summary>
    public TimeSpan AccessTokenRefreshBefore { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan RetryDelayAfter(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(UploadRetryDelay.Ticks * factor, UploadRetryMaxDelay.Ticks));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }
}
