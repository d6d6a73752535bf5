using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Grains.Observability;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// WeChat Pay's answers about merchant refunds (create answers, REFUND.* notifications, queries) applied to the order:
/// the refund's status, the refunded total and the order's status, in one write with the event that describes it.
/// Every source may repeat itself or arrive late, so only a change that moves a refund forward is applied.
/// </summary>
public sealed partial class OrderGrain
{
    private const string RefundActor = "wechatpay";

    public async Task<RefundUpdateResult> ApplyRefundStatusAsync(RefundStatusUpdate update)
    {
        if (!IsReal || Order.Refunds.Find(r => r.OutRefundNo == update.OutRefundNo) is not { } refund)
        {
            return RefundUpdateResult.Unknown;
        }

        if (update.AmountFen is { } amount && amount != refund.AmountFen)
        {
            // Not what we asked for: never counted. Operators must look at it.
            logger.LogCritical("ALERT order {OrderNo}: WeChat Pay reports refund {OutRefundNo} of {ReportedFen} fen but {RequestedFen} fen was requested ({Source}); not applied",
                OrderNo, refund.OutRefundNo, amount, refund.AmountFen, update.Source);
            return RefundUpdateResult.AmountMismatch;
        }

        await ApplyRefundAsync(refund, update);
        return RefundUpdateResult.Applied;
    }

    private async Task ApplyRefundAsync(OrderRefund refund, RefundStatusUpdate update)
    {
        if (!Advances(refund.Status, update.Status))
        {
            return;
        }

        var before = Order.Progress.Status;
        var (id, at) = Stamp();
        // The success time places the refund on a bill date (reconciliation looks for it in that day's bill): WeChat
        // Pay's own when it says, else when we learnt of it.
        var updated = refund with
        {
            Status = update.Status, UpdatedAt = at, RefundId = update.RefundId ?? refund.RefundId,
            SucceededAt = update.Status == RefundStates.Success ? update.SuccessTime ?? at : refund.SucceededAt,
        };
        var order = Order with { Refunds = Order.Refunds.Replace(refund, updated), UpdatedAt = at };
        if (update.Status == RefundStates.Success)
        {
            var paid = OrderPayment!.AmountFen;
            var refunded = order.Refunds.Where(r => r.Status == RefundStates.Success).Sum(r => r.AmountFen);
            var full = refunded >= paid;
            order = LeaveRefunding(order, full ? OrderTrigger.RefundInFull : OrderTrigger.RefundPartially,
                $"{refund.OutRefundNo} refunded {refund.AmountFen} fen, {refunded} of {paid} fen in all ({update.Source})", at);
            order = WithEvent(order, new OrderRefunded(id, OrderNo, at, refund.OutRefundNo, refund.AmountFen, full, refunded, paid));
        }
        else if (RefundStates.IsFinal(update.Status))
        {
            if (update.Status == RefundStates.Abnormal)
            {
                logger.LogError("Order {OrderNo}: refund {OutRefundNo} of {AmountFen} fen ended ABNORMAL; an operator must redirect it in the WeChat Pay merchant platform",
                    OrderNo, refund.OutRefundNo, refund.AmountFen);
            }
            else
            {
                logger.LogWarning("Order {OrderNo}: refund {OutRefundNo} ended {Status} ({Source})", OrderNo, refund.OutRefundNo, update.Status, update.Source);
            }

            order = LeaveRefunding(order, OrderTrigger.RefundFailed, $"{refund.OutRefundNo} {update.Status} ({update.Source})", at);
            order = WithEvent(order, new OrderRefundFailed(id, OrderNo, at, refund.OutRefundNo, refund.AmountFen, update.Status));
        }

        await CommitAsync(order);
        NotifyAfterSales(updated);
        ServiceProvider.GetRequiredService<ShopGrainMetrics>().RefundStatus(update.Status);
        if (before != OrderStatus.Shipped && Order.Progress.Status == OrderStatus.Shipped && Order.Shipment is { } shipment)
        {
            // Back to Shipped: the stored due time (auto-completion) came back with the write; this is the exact-time timer.
            ScheduleDueWork(shipment.ShippedAt + _options.AutoCompleteAfterShipping);
        }
    }

    /// <summary>
    /// Forward only: SUBMITTING → PROCESSING → final. ABNORMAL may still become SUCCESS (an operator redirected the money
    /// in the merchant platform). Duplicates and older news (PROCESSING after SUCCESS) change nothing.
    /// </summary>
    private static bool Advances(string from, string to) => from switch
    {
        RefundStates.Submitting => to == RefundStates.Processing || RefundStates.IsFinal(to),
        RefundStates.Processing => RefundStates.IsFinal(to),
        RefundStates.Abnormal => to == RefundStates.Success,

        // REJECTED is our reading of a refused create call, not WeChat Pay's word: what WeChat Pay later says wins.
        RefundStates.Rejected => to is RefundStates.Processing or RefundStates.Success or RefundStates.Abnormal or RefundStates.Closed,
        _ => false,
    };

    /// <summary>
    /// The order leaves Refunding once no refund is in flight any more. A success that comes after the order already
    /// left (a late-settled ABNORMAL refund) goes through Refunding again, so the history and the table tell the truth.
    /// </summary>
    private OrderState LeaveRefunding(OrderState order, OrderTrigger trigger, string reason, DateTimeOffset at)
    {
        if (order.Refunds.Exists(r => RefundStates.InFlight(r.Status)))
        {
            return order;
        }

        var progress = order.Progress;
        if (progress.Status != OrderStatus.Refunding)
        {
            if (trigger == OrderTrigger.RefundFailed || !progress.TryApply(OrderTrigger.RequestRefund, at, RefundActor, reason, out var reentered))
            {
                return order;
            }

            progress = reentered;
        }

        if (!progress.TryApply(trigger, at, RefundActor, reason, out var next))
        {
            logger.LogError("Order {OrderNo}: {Trigger} not allowed from {Status}; the refund is recorded, the status is unchanged", OrderNo, trigger, progress.Status);
            return order;
        }

        return order with { Progress = next };
    }
}
