using Shop.WeChatPay.Api;
using Shop.WeChatPay.Notifications;
using Shop.WeChatPay.Simulator.Protocol;

namespace Shop.WeChatPay.Simulator.Refunds;

/// <summary>A refund as the refund API (<c>status</c>) and REFUND.* notifications (<c>refund_status</c>) show it.</summary>
internal static class RefundView
{
    private const string UserReceivedAccount = "支付用户零钱";

    public static Refund From(SimRefund r) => new()
    {
        RefundId = r.RefundId,
        OutRefundNo = r.OutRefundNo,
        TransactionId = r.TransactionId,
        OutTradeNo = r.OutTradeNo,
        Channel = "ORIGINAL",
        UserReceivedAccount = UserReceivedAccount,
        SuccessTime = r.SuccessTime is { } at ? WeChatTime.Of(at) : null,
        CreateTime = WeChatTime.Of(r.CreatedAt),
        Status = r.Status,
        FundsAccount = "AVAILABLE",
        Amount = new RefundAmount
        {
            Total = r.Total,
            Refund = r.Refund,
            PayerTotal = r.PayerTotal,
            PayerRefund = PayerRefund(r),
            SettlementTotal = r.Total,
            SettlementRefund = r.Refund,
            DiscountRefund = r.Refund - PayerRefund(r),
            Currency = "CNY",
            From = [],
        },
    };

    public static RefundNotificationResource Notification(SimRefund r) => new()
    {
        MchId = r.MchId,
        OutTradeNo = r.OutTradeNo,
        TransactionId = r.TransactionId,
        OutRefundNo = r.OutRefundNo,
        RefundId = r.RefundId,
        RefundStatus = r.Status,
        SuccessTime = r.SuccessTime is { } at ? WeChatTime.Of(at) : null,
        UserReceivedAccount = UserReceivedAccount,
        Amount = new RefundNotificationAmount(r.Total, r.Refund, r.PayerTotal, PayerRefund(r)),
    };

    /// <summary>When a coupon paid part of the order, the payer gets back only their share.</summary>
    private static long PayerRefund(SimRefund r) => r.Total == 0 ? 0 : r.Refund * r.PayerTotal / r.Total;
}
