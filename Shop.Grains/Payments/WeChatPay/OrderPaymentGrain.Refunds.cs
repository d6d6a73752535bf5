using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.WeChatPay.Api;

namespace Shop.Grains.Payments.WeChatPay;

/// <summary>
/// A payment that lands on an order that is no longer waiting for it (cancelled) is refunded in full, automatically.
/// out_refund_no is derived from the transaction, so a re-delivered notification or a retry never refunds twice.
/// </summary>
public sealed partial class OrderPaymentGrain
{
    public Task<OrderPaymentSummary> GetAsync() => Task.FromResult(new OrderPaymentSummary(
        state.State.PrepayId, state.State.Closed, state.State.ReconcileRuns, state.State.AutomaticRefunds));

    public async Task<bool> ApplyRefundStatusAsync(string outRefundNo, string status)
    {
        var refund = state.State.AutomaticRefunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo);
        if (refund is null)
        {
            return false;
        }

        if (refund.Status != status)
        {
            if (status != RefundStatuses.Success)
            {
                logger.LogError("Order {OrderNo}: automatic refund {OutRefundNo} ended {Status}; it needs an operator", OrderNo, outRefundNo, status);
            }

            state.State = state.State with { AutomaticRefunds = state.State.AutomaticRefunds.Replace(refund, refund with { Status = status }) };
            await state.WriteStateAsync();
        }

        return true;
    }

    private static string AutomaticRefundNo(string transactionId) => "AR" + transactionId;

    /// <summary>False when WeChat Pay could not take the refund now (the notification is then answered FAIL and re-delivered).</summary>
    private async Task<bool> RefundIfUnwantedAsync(OrderView order, PaidTransaction transaction)
    {
        var record = order.Payments.FirstOrDefault(p => p.TransactionId == transaction.TransactionId);
        if (record is not { NeedsRefund: true } || state.State.AutomaticRefunds.Any(r => r.TransactionId == transaction.TransactionId))
        {
            return true;
        }

        var outRefundNo = AutomaticRefundNo(transaction.TransactionId);
        Refund refund;
        try
        {
            refund = await api.CreateRefundAsync(new RefundRequest
            {
                TransactionId = transaction.TransactionId,
                OutRefundNo = outRefundNo,
                Reason = "订单已取消，自动退款",
                Amount = new RefundRequestAmount(transaction.TotalFen, transaction.TotalFen),
            });
        }
        catch (Exception ex) when (WeChatPayFailures.IsTransient(ex))
        {
            logger.LogWarning(ex, "Order {OrderNo}: automatic refund of {TransactionId} not accepted yet", OrderNo, transaction.TransactionId);
            return false;
        }

        logger.LogWarning("Order {OrderNo} was {Status} when payment {TransactionId} arrived: refunded automatically as {OutRefundNo} ({RefundStatus})",
            OrderNo, order.Status, transaction.TransactionId, outRefundNo, refund.Status);
        state.State = state.State with
        {
            AutomaticRefunds = state.State.AutomaticRefunds.Add(
                new AutomaticRefund(transaction.TransactionId, outRefundNo, transaction.TotalFen, refund.Status, clock.GetUtcNow())),
        };
        await state.WriteStateAsync();
        return true;
    }
}
