using Shop.WeChatPay.Api;

namespace Shop.WeChatPay.Simulator.Refunds;

/// <summary>Refunds are per merchant: out_refund_no is unique within one mchid.</summary>
internal readonly record struct RefundKey(string MchId, string OutRefundNo);

/// <summary>A refund as WeChat Pay keeps it; amounts in fen. PROCESSING until a test control settles it.</summary>
internal sealed record SimRefund(
    string MchId,
    string OutRefundNo,
    string RefundId,
    string OutTradeNo,
    string TransactionId,
    long Refund,
    long Total,
    long PayerTotal,
    string? Reason,
    string NotifyUrl,
    DateTimeOffset CreatedAt)
{
    public RefundKey Key => new(MchId, OutRefundNo);

    public string Status { get; init; } = RefundStatuses.Processing;

    public DateTimeOffset? SuccessTime { get; init; }

    /// <summary>Counts against the order's refundable amount: everything except a CLOSED refund, whose money never left.</summary>
    public bool HoldsAmount => Status != RefundStatuses.Closed;
}
