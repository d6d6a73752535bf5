namespace Shop.Grains.Payments.WeChatPay;

/// <summary>Settings of the payments feature (section "Payments"); the merchant itself is the "WeChatPay" section.</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>How long after a prepay an unpaid order asks WeChat Pay for its state (a lost notification is not a lost payment).</summary>
    public TimeSpan[] ReconcileAfter { get; set; } = [TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)];

    /// <summary>A prepay_id lives 2 h; reuse it only while comfortably inside that.</summary>
    public TimeSpan PrepayReuseFor { get; set; } = TimeSpan.FromMinutes(110);

    /// <summary>Retry-After given to callers while WeChat Pay is unreachable.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}
