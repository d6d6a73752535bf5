namespace Shop.Client.Orders;

/// <summary>
/// <c>POST /api/admin/orders/{orderNo}/refunds</c> (Idempotency-Key header required): refund <see cref="AmountFen"/>
/// of what the order was paid; <see cref="Reason"/> is shown to the customer by WeChat Pay.
/// </summary>
public sealed record CreateRefundRequest(long? AmountFen, string? Reason)
{
    /// <summary>WeChat Pay's limit for the refund reason.</summary>
    public const int MaxReasonLength = 80;
}

/// <summary>One refund of an order. <see cref="Status"/> is one of <see cref="OrderRefundStatuses"/>.</summary>
public sealed record OrderRefundResponse(
    string OutRefundNo,
    long AmountFen,
    string Reason,
    string Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset UpdatedAt);

/// <summary>The refund a request made (the same one for every repeat of its Idempotency-Key), with the order's state now.</summary>
public sealed record RefundResponse(
    string OrderNo,
    string OutRefundNo,
    long AmountFen,
    string Reason,
    string Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset UpdatedAt,
    string OrderStatus,
    long RefundedFen);

public static class OrderRefundStatuses
{
    /// <summary>Recorded; WeChat Pay has not confirmed receiving it yet (it is re-sent with the same out_refund_no).</summary>
    public const string Submitting = "SUBMITTING";

    /// <summary>Accepted by WeChat Pay, money on its way.</summary>
    public const string Processing = "PROCESSING";

    public const string Success = "SUCCESS";

    /// <summary>Closed by WeChat Pay; nothing refunded.</summary>
    public const string Closed = "CLOSED";

    /// <summary>The refund route failed (e.g. a cancelled card); the merchant redirects it in the WeChat Pay merchant platform.</summary>
    public const string Abnormal = "ABNORMAL";

    /// <summary>WeChat Pay refused to create it; nothing refunded.</summary>
    public const string Rejected = "REJECTED";
}

public static class RefundErrorCodes
{
    /// <summary>409: the amount is more than what is left to refund (the problem carries <c>refundableFen</c>).</summary>
    public const string RefundExceedsPaid = "REFUND_EXCEEDS_PAID";

    /// <summary>409: another refund of the order has not finished yet.</summary>
    public const string RefundInProgress = "REFUND_IN_PROGRESS";

    /// <summary>502: WeChat Pay refused the refund; nothing was refunded.</summary>
    public const string RefundRejected = "REFUND_REJECTED";
}
