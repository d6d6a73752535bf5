namespace Shop.Grains.Payments.WeChatPay;

/// <summary>Settings of the payments feature (section "Payments"); the merchant itself is the "WeChatPay" section.</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>How long after a prepay an unpaid order asks WeChat Pay for its state (a lost notification is not a lost payment).</summary>
    /// <remarks>Null by default because configuration binding appends to an array instead of replacing it.</remarks>
    public TimeSpan[]? ReconcileAfter { get; set; }

    public IReadOnlyList<TimeSpan> ReconcileDelays => ReconcileAfter is { Length: > 0 } delays ? delays : [TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)];

    /// <summary>A prepay_id lives 2 h; reuse it only while comfortably inside that.</summary>
    public TimeSpan PrepayReuseFor { get; set; } = TimeSpan.FromMinutes(110);

    /// <summary>A refund still unfinished this long after it was requested is queried by out_refund_no (WeChat Pay: about 1 min).</summary>
    public TimeSpan RefundQueryAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>After that, unfinished refunds are queried again this often (card refunds take 1–3 business days).</summary>
    public TimeSpan RefundQueryEvery { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retry-After given to callers while WeChat Pay is unreachable.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Registered only when a merchant is configured: lets the order's timeout know there is a transaction to close.</summary>
public sealed class WeChatPayEnabled;
