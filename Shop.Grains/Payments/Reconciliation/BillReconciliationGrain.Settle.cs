using System.Text.Json;
using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.Grains.Interfaces.Payments.Reconciliation;
using Shop.WeChatPay.Bills;

namespace Shop.Grains.Payments.Reconciliation;

/// <summary>
/// What the job does about a difference by itself, through the very grain calls a verified notification makes (so the
/// order's own rules apply: a payment on a cancelled order is refunded in full), and the rows it stores.
/// </summary>
public sealed partial class BillReconciliationGrain
{
    /// <summary>Settles what can be settled, at most <see cref="Parallelism"/> orders at a time, each through the notification's own path.</summary>
    private async Task<List<Finding>> SettleAsync(IReadOnlyList<Finding> findings)
    {
        var settled = new List<Finding>(findings.Count);
        foreach (var chunk in findings.Chunk(Parallelism))
        {
            settled.AddRange(await Task.WhenAll(chunk.Select(SettleOneAsync)));
        }

        return settled;
    }

    private async Task<Finding> SettleOneAsync(Finding finding)
    {
        try
        {
            if (finding.SettlePayment is { } payment)
            {
                var answer = await GrainFactory.GetGrain<IOrderPaymentGrain>(payment.OutTradeNo).ApplyTransactionAsync(payment);
                if (!answer.IsSuccess)
                {
                    return finding with { Detail = $"{finding.Detail}; applying it failed: {answer.Status} {answer.Message}" };
                }

                var order = (await GrainFactory.GetGrain<IOrderGrain>(payment.OutTradeNo).GetAsync(Caller)).Order;
                var refunded = order?.Payments.Any(p => p.TransactionId == payment.TransactionId && p.NeedsRefund) == true;
                return finding with
                {
                    Status = DifferenceStatuses.Settled,
                    Settlement = refunded
                        ? $"payment applied to the {order!.Status} order and refunded in full automatically (late-payment rule)"
                        : $"payment applied as a notification would: the order is now {order?.Status}",
                };
            }

            if (finding.SettleRefund is { } refund)
            {
                var result = await GrainFactory.GetGrain<IOrderGrain>(finding.OutTradeNo!).ApplyRefundStatusAsync(refund);
                return result == RefundUpdateResult.Applied
                    ? finding with { Status = DifferenceStatuses.Settled, Settlement = $"refund status set to {refund.Status} as a notification would" }
                    : finding with { Detail = $"{finding.Detail}; applying the status failed: {result}" };
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Bill {BillDate}: {Kind} {Reference} not settled", Date, finding.Kind, finding.Reference);
            return finding with { Detail = $"{finding.Detail}; settling failed: {ex.GetType().Name}" };
        }

        return finding;
    }

    private static List<StoredBillRow> StoredRows(TradeBill? trade, FundFlowBill? fund, BillMatcher matcher)
    {
        var rows = new List<StoredBillRow>();
        for (var i = 0; i < (trade?.Rows.Count ?? 0); i++)
        {
            var r = trade!.Rows[i];
            rows.Add(new StoredBillRow("trade", i + 1, r.TradeTime, r.IsRefund ? r.RefundId ?? r.TransactionId : r.TransactionId, r.OutTradeNo, r.OutRefundNo,
                r.IsRefund ? r.RefundStatus : r.TradeState, r.IsRefund ? r.RefundFen : r.OrderTotalFen, r.FeeMilliFen, matcher.MatchedTradeRows.Contains(i),
                JsonSerializer.Serialize(r, RowJson)));
        }

        for (var i = 0; i < (fund?.Rows.Count ?? 0); i++)
        {
            var r = fund!.Rows[i];
            rows.Add(new StoredBillRow("fund", i + 1, r.BookedAt, r.BusinessNo, null, null, r.BusinessType, r.NetFen, 0, matcher.MatchedFundRows.Contains(i),
                JsonSerializer.Serialize(r, RowJson)));
        }

        return rows;
    }
}
