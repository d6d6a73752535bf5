namespace Shop.Grains.Interfaces.Orders;

/// <summary>
/// An admin's refund request, already checked for shape by the API. <see cref="IdempotencyKey"/> is scoped to the
/// admin who sends it (as order creation keys are scoped to their user) and kept on the order for good.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.RefundCommand")]
public sealed record RefundCommand(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] long AmountFen,
    [property: Id(2)] string Reason);

/// <summary>
/// A refund of the order's payment. <see cref="OutRefundNo"/> is assigned once, on the first sight of its idempotency
/// key, and every (re)send to WeChat Pay uses it with the same body: so a retry can never refund twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderRefund")]
public sealed record OrderRefund(
    [property: Id(0)] string OutRefundNo,
    [property: Id(1)] long AmountFen,
    [property: Id(2)] string Reason,
    [property: Id(3)] string Status,
    [property: Id(4)] string RequestedBy,
    [property: Id(5)] string IdempotencyKey,
    [property: Id(6)] DateTimeOffset RequestedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] string? RefundId,
    [property: Id(120)] DateTimeOffset? SucceededAt = null);

/// <summary>
/// A refund's status: WeChat Pay's own (PROCESSING, SUCCESS, CLOSED, ABNORMAL) plus two of ours around the create call.
/// </summary>
public static class RefundStates
{
    /// <summary>Recorded, but WeChat Pay has not confirmed it received the request (the call failed or is under way).</summary>
    public const string Submitting = "SUBMITTING";

    public const string Processing = "PROCESSING";
    public const string Success = "SUCCESS";
    public const string Closed = "CLOSED";

    /// <summary>The refund route failed (e.g. a cancelled card); WeChat Pay keeps the money for the merchant to redirect.</summary>
    public const string Abnormal = "ABNORMAL";

    /// <summary>WeChat Pay refused to create the refund (a 4xx, e.g. NOT_ENOUGH): nothing was refunded.</summary>
    public const string Rejected = "REJECTED";

    /// <summary>WeChat Pay will not change it any more (except ABNORMAL, which an operator may still settle).</summary>
    public static bool IsFinal(string status) => status is Success or Closed or Abnormal or Rejected;

    public static bool InFlight(string status) => status is Submitting or Processing;

    /// <summary>
    /// The amount still counts against what the order may refund: everything but CLOSED and REJECTED. ABNORMAL counts
    /// because WeChat Pay keeps that amount bound to the refund until the merchant redirects it.
    /// </summary>
    public static bool HoldsAmount(string status) => status is not (Closed or Rejected);
}

[GenerateSerializer, Alias("Shop.Orders.RefundOutcomeStatus")]
public enum RefundOutcomeStatus
{
    /// <summary>WeChat Pay accepted the refund (now or on an earlier request with the same key).</summary>
    Ok,
    NotFound,

    /// <summary>The order is not in a status that can be refunded (unpaid, cancelled, fully refunded).</summary>
    InvalidTransition,

    /// <summary>Another refund of the order has not finished yet.</summary>
    InProgress,

    /// <summary>The amount is more than what is left to refund (<see cref="RefundOutcome.RefundableFen"/>).</summary>
    ExceedsPaid,

    /// <summary>The idempotency key was used with another amount or reason.</summary>
    KeyReused,

    /// <summary>WeChat Pay could not be reached; the refund is recorded and is re-sent (same out_refund_no) later or on retry.</summary>
    Unavailable,

    /// <summary>WeChat Pay refused the refund; nothing was refunded.</summary>
    Rejected,

    /// <summary>This deployment has no WeChat Pay merchant.</summary>
    NotConfigured,
}

[GenerateSerializer, Immutable, Alias("Shop.Orders.RefundOutcome")]
public sealed record RefundOutcome(
    [property: Id(0)] RefundOutcomeStatus Status,
    [property: Id(1)] OrderRefund? Refund = null,
    [property: Id(2)] OrderView? Order = null,
    [property: Id(3)] string? Detail = null,
    [property: Id(4)] long? RefundableFen = null,
    [property: Id(5)] TimeSpan? RetryAfter = null)
{
    public static RefundOutcome NotFound { get; } = new(RefundOutcomeStatus.NotFound);
}

/// <summary>What WeChat Pay says about one refund (a REFUND.* notification or a query answer).</summary>
/// <param name="AmountFen">The refunded amount WeChat Pay names, checked against the order's record; null when not given.</param>
/// <param name="Source">For the history: "notification &lt;id&gt;", "query" or "create".</param>
/// <param name="SuccessTime">WeChat Pay's success_time of a SUCCESS (it places the refund on a bill date); null when not given.</param>
[GenerateSerializer, Immutable, Alias("Shop.Orders.RefundStatusUpdate")]
public sealed record RefundStatusUpdate(
    [property: Id(0)] string OutRefundNo,
    [property: Id(1)] string Status,
    [property: Id(2)] long? AmountFen,
    [property: Id(3)] string? RefundId,
    [property: Id(4)] string Source,
    [property: Id(120)] DateTimeOffset? SuccessTime = null);

[GenerateSerializer, Alias("Shop.Orders.RefundUpdateResult")]
public enum RefundUpdateResult
{
    /// <summary>Applied now, or already known (duplicates and stale updates change nothing).</summary>
    Applied,

    /// <summary>The order has no refund with that out_refund_no.</summary>
    Unknown,

    /// <summary>The amount differs from the order's record: not applied, operators alerted.</summary>
    AmountMismatch,
}
