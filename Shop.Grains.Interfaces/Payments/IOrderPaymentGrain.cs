using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Interfaces.Payments;

/// <summary>
/// The WeChat Pay side of one order (key = the order number, which is also the out_trade_no): the live prepay id,
/// reconciliation queries, closing at the timeout, and applying verified transactions to the order.
/// </summary>
[Alias("Shop.Payments.IOrderPaymentGrain")]
public interface IOrderPaymentGrain : IGrainWithStringKey
{
    /// <summary>The owner asks to pay by JSAPI; a live prepay id is reused rather than opening a second transaction.</summary>
    [Alias("PrepayJsapi")]
    Task<PrepayOutcome> PrepayJsapiAsync(OrderCaller caller, string openId);

    /// <summary>A verified transaction (from a notification or a query) for this order: checked against the order, then applied.</summary>
    [Alias("ApplyTransaction")]
    Task<NotificationAnswer> ApplyTransactionAsync(PaidTransaction transaction);

    /// <summary>
    /// For the order at its payment timeout, before it cancels: closes the WeChat Pay transaction. Returns the payment
    /// when WeChat Pay says it was paid (the order then marks itself paid instead of cancelling), null when closed or
    /// never opened; throws when WeChat Pay cannot tell (the order tries again later). With
    /// <paramref name="shopperWaiting"/> (a customer's cancel) WeChat Pay gets the shopper's time budget, not the
    /// background retries.
    /// </summary>
    /// <remarks>
    /// Interleaves: the order calls it from its timeout while this grain may be waiting on the order (applying a
    /// notification); without interleaving the two would wait on each other.
    /// </remarks>
    [Alias("CloseBeforeCancel"), Orleans.Concurrency.AlwaysInterleave]
    Task<PaidTransaction?> CloseBeforeCancelAsync(bool shopperWaiting);

    /// <summary>A verified REFUND.* notification: the refund's new status. False when the refund is not one of ours.</summary>
    [Alias("ApplyRefundStatus")]
    Task<bool> ApplyRefundStatusAsync(string outRefundNo, string status);

    /// <summary>
    /// Sends one of the order's refunds to WeChat Pay (create refund, with exactly the recorded out_refund_no and
    /// amounts, so a re-send is the same refund). Touches no state of this grain.
    /// </summary>
    /// <remarks>Interleaves: the order calls it while this grain may be waiting on the order (see CloseBeforeCancel).</remarks>
    [Alias("SendRefund"), Orleans.Concurrency.AlwaysInterleave]
    /// <param name="askFirst">
    /// A retry of a refund WeChat Pay never confirmed: ask about it by out_refund_no first and send only when WeChat Pay
    /// does not know it (a blind re-send of a refund it already took could be refused and recorded as rejected).
    /// </param>
    Task<RefundSendResult> SendRefundAsync(RefundSubmission refund, bool askFirst);

    /// <summary>
    /// Starts (or restarts) watching the order's unfinished refunds: each is queried by out_refund_no once it has been
    /// PROCESSING for a while, and re-sent if WeChat Pay never got it; the watch ends when none is left.
    /// </summary>
    [Alias("WatchRefunds"), Orleans.Concurrency.AlwaysInterleave]
    Task WatchRefundsAsync();

    /// <summary>What happened to the order's WeChat Pay transaction (for operators and tests).</summary>
    [Alias("Get")]
    Task<OrderPaymentSummary> GetAsync();
}

/// <summary>A transaction WeChat Pay reports as paid (verified and decrypted, or from a verified query answer).</summary>
[GenerateSerializer, Immutable, Alias("Shop.Payments.PaidTransaction")]
public sealed record PaidTransaction(
    [property: Id(0)] string OutTradeNo,
    [property: Id(1)] string TransactionId,
    [property: Id(2)] long TotalFen,
    [property: Id(3)] DateTimeOffset PaidAt,
    [property: Id(4)] string Source);

[GenerateSerializer, Alias("Shop.Payments.PrepayStatus")]
public enum PrepayStatus
{
    Ok,
    NotFound,
    NotPayable,
    Unavailable,
    Rejected,
}

/// <summary>The parameters wx.requestPayment needs (names as the front-end spells them).</summary>
[GenerateSerializer, Immutable, Alias("Shop.Payments.JsapiPayment")]
public sealed record JsapiPayment(
    [property: Id(0)] string AppId,
    [property: Id(1)] string TimeStamp,
    [property: Id(2)] string NonceStr,
    [property: Id(3)] string Package,
    [property: Id(4)] string SignType,
    [property: Id(5)] string PaySign);

[GenerateSerializer, Immutable, Alias("Shop.Payments.PrepayOutcome")]
public sealed record PrepayOutcome(
    [property: Id(0)] PrepayStatus Status,
    [property: Id(1)] JsapiPayment? Payment = null,
    [property: Id(2)] string? Detail = null,
    [property: Id(3)] TimeSpan? RetryAfter = null);

/// <summary>A refund this system started by itself (a payment that landed on a cancelled order).</summary>
[GenerateSerializer, Immutable, Alias("Shop.Payments.AutomaticRefund")]
public sealed record AutomaticRefund(
    [property: Id(0)] string TransactionId,
    [property: Id(1)] string OutRefundNo,
    [property: Id(2)] long AmountFen,
    [property: Id(3)] string Status,
    [property: Id(4)] DateTimeOffset RequestedAt);

[GenerateSerializer, Immutable, Alias("Shop.Payments.OrderPaymentSummary")]
public sealed record OrderPaymentSummary(
    [property: Id(0)] string? PrepayId,
    [property: Id(1)] bool Closed,
    [property: Id(2)] int ReconcileRuns,
    [property: Id(3)] IReadOnlyList<AutomaticRefund> AutomaticRefunds);

/// <summary>A refund as WeChat Pay's create-refund call needs it (the same values on every send), and when it was requested.</summary>
/// <param name="TotalFen">What the order's payment was (amount.total).</param>
[GenerateSerializer, Immutable, Alias("Shop.Payments.RefundSubmission")]
public sealed record RefundSubmission(
    [property: Id(0)] string OutRefundNo,
    [property: Id(1)] string TransactionId,
    [property: Id(2)] long AmountFen,
    [property: Id(3)] long TotalFen,
    [property: Id(4)] string Reason,
    [property: Id(5)] DateTimeOffset RequestedAt);

[GenerateSerializer, Alias("Shop.Payments.RefundSendStatus")]
public enum RefundSendStatus
{
    /// <summary>WeChat Pay has the refund (new, or the same out_refund_no again); <see cref="RefundSendResult.RefundStatus"/> says where it is.</summary>
    Accepted,

    /// <summary>No answer or a server-side error: unknown whether WeChat Pay has it; send the same again later.</summary>
    Unavailable,

    /// <summary>WeChat Pay refused it (4xx): no refund exists.</summary>
    Rejected,
}

[GenerateSerializer, Immutable, Alias("Shop.Payments.RefundSendResult")]
public sealed record RefundSendResult(
    [property: Id(0)] RefundSendStatus Status,
    [property: Id(1)] string? RefundStatus = null,
    [property: Id(2)] string? RefundId = null,
    [property: Id(3)] string? Detail = null,
    [property: Id(4)] TimeSpan? RetryAfter = null);
