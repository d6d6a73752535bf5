using Shop.WeChatPay.Api;
using Shop.WeChatPay.Notifications;
using Shop.WeChatPay.Simulator.Keys;
using Shop.WeChatPay.Simulator.Notifications;
using Shop.WeChatPay.Simulator.Payments;
using Shop.WeChatPay.Simulator.Protocol;

namespace Shop.WeChatPay.Simulator.Refunds;

/// <summary>
/// Refunds of paid orders: the same out_refund_no is the same refund, the refunds of an order never add up to more
/// than it was paid, at most 50 per order. A refund stays PROCESSING until <see cref="Settle"/> (a test control).
/// </summary>
internal sealed class RefundDesk(SimulatorLedger ledger, NotificationPublisher notifications, TimeProvider time)
{
    private const int MaxRefundsPerOrder = 50;

    public (Refund? Refund, WeChatPayError? Error) Create(Merchant merchant, RefundRequest request)
    {
        var now = time.GetUtcNow();
        lock (ledger.Gate)
        {
            if (FindOrder(merchant.MchId, request) is not { } order || !order.IsPaid)
            {
                return (null, new WeChatPayError(404, "RESOURCE_NOT_EXISTS", "订单不存在或未支付"));
            }

            if (request.TransactionId is not null && request.OutTradeNo is not null && order.OutTradeNo != request.OutTradeNo)
            {
                return (null, WeChatPayError.InvalidRequest("transaction_id and out_trade_no name different orders"));
            }

            if (ledger.Refund(new RefundKey(merchant.MchId, request.OutRefundNo)) is { } existing)
            {
                return existing.OutTradeNo == order.OutTradeNo && existing.Refund == request.Refund
                    ? (RefundView.From(existing), null)
                    : (null, WeChatPayError.InvalidRequest("out_refund_no已用于另一笔退款: the same out_refund_no came with a different order or amount"));
            }

            var paidTotal = order.PaidTotal ?? order.Total;
            if (request.Total != paidTotal)
            {
                return (null, WeChatPayError.Param("/amount/total", request.Total, $"does not match the order amount {paidTotal}"));
            }

            var refunds = ledger.RefundsOf(order.Key).ToList();
            if (refunds.Count >= MaxRefundsPerOrder)
            {
                return (null, WeChatPayError.InvalidRequest("订单退款次数已超过50次"));
            }

            if (refunds.Where(r => r.HoldsAmount).Sum(r => r.Refund) + request.Refund > paidTotal)
            {
                return (null, WeChatPayError.InvalidRequest("申请退款金额超过订单可退金额"));
            }

            var refund = new SimRefund(merchant.MchId, request.OutRefundNo, WeChatTime.NewRefundId(now), order.OutTradeNo, order.TransactionId!,
                request.Refund, paidTotal, order.PayerTotal ?? paidTotal, request.Reason, request.NotifyUrl ?? order.NotifyUrl, WeChatTime.Of(now));
            ledger.Put(refund);
            ledger.Put(order with { TradeState = TradeStates.Refund });
            return (RefundView.From(refund), null);
        }
    }

    public SimRefund? Find(RefundKey key)
    {
        lock (ledger.Gate)
        {
            return ledger.Refund(key);
        }
    }

    /// <summary>PROCESSING → SUCCESS, ABNORMAL or CLOSED, then the matching REFUND.* notification.</summary>
    public (SimRefund? Refund, string? Refusal) Settle(RefundKey key, string status)
    {
        SimRefund settled;
        var now = time.GetUtcNow();
        lock (ledger.Gate)
        {
            var refund = ledger.Refund(key)!;
            if (refund.Status != RefundStatuses.Processing)
            {
                return (null, $"the refund is already {refund.Status}");
            }

            settled = refund with { Status = status, SuccessTime = status == RefundStatuses.Success ? WeChatTime.Of(now) : null };
            ledger.Put(settled);
        }

        var (eventType, summary) = status switch
        {
            RefundStatuses.Success => (NotificationEventTypes.RefundSuccess, "退款成功"),
            RefundStatuses.Abnormal => (NotificationEventTypes.RefundAbnormal, "退款异常"),
            _ => (NotificationEventTypes.RefundClosed, "退款关闭"),
        };
        notifications.Publish(new NotificationMessage(new OrderKey(settled.MchId, settled.OutTradeNo), settled.OutRefundNo, settled.NotifyUrl,
            eventType, summary, "refund", RefundView.Notification(settled)));
        return (settled, null);
    }

    private SimOrder? FindOrder(string mchId, RefundRequest request) =>
        request.TransactionId is { } transactionId
            ? ledger.OrderByTransactionId(mchId, transactionId)
            : ledger.Order(new OrderKey(mchId, request.OutTradeNo!));
}
