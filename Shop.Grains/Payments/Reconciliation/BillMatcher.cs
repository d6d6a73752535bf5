using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.Grains.Interfaces.Payments.Reconciliation;
using Shop.WeChatPay.Bills;

namespace Shop.Grains.Payments.Reconciliation;

/// <summary>
/// Matches a day's bills against the shop's records: every trade-bill row by out_trade_no (payments) or out_refund_no
/// (refunds), every payment and refund recorded on the day against the bill, the fee totals against the rows and the fund flow.
/// Pure: the facts are loaded before and the settlements carried out after, by <see cref="BillReconciliationGrain"/>.
/// </summary>
public sealed class BillMatcher(
    IReadOnlyDictionary<string, ShopOrderFacts> orders,
    IReadOnlyDictionary<string, AutomaticRefund> automaticRefunds)
{
    public List<Finding> Findings { get; } = [];

    /// <summary>Trade-bill rows (by index) that agree with the shop's records.</summary>
    public HashSet<int> MatchedTradeRows { get; } = [];

    public HashSet<int> MatchedFundRows { get; } = [];

    public void MatchTrade(TradeBill bill)
    {
        for (var i = 0; i < bill.Rows.Count; i++)
        {
            var row = bill.Rows[i];
            var matched = row.IsRefund ? MatchRefund(row) : MatchPayment(row);
            if (matched)
            {
                MatchedTradeRows.Add(i);
            }
        }

        var rowFees = bill.Rows.Sum(r => r.FeeMilliFen);
        if (rowFees != bill.Summary.FeeMilliFen)
        {
            Findings.Add(new Finding(DifferenceKinds.FeeTotals, "trade-bill-summary", null, null, null, bill.Summary.FeeMilliFen / 1000, rowFees / 1000,
                $"手续费总金额 of the summary is {bill.Summary.FeeMilliFen / 1000m} fen, the rows add up to {rowFees / 1000m} fen"));
        }
    }

    /// <summary>The fund flow's fee movements must add up to the trade bill's fees; its payment and refund rows are matched by 业务凭证号.</summary>
    public void MatchFundFlow(FundFlowBill fund, TradeBill? trade)
    {
        var tradeFees = trade?.Rows.Sum(r => r.FeeMilliFen) ?? 0;
        var charged = fund.Rows.Where(IsFee).Sum(r => -r.NetFen) * 1000;
        if (charged != tradeFees)
        {
            Findings.Add(new Finding(DifferenceKinds.FeeTotals, "fund-flow-fees", null, null, null, charged / 1000, tradeFees / 1000,
                $"the fund-flow bill charges {charged / 1000m} fen of fees, the trade bill states {tradeFees / 1000m} fen"));
        }

        var paymentRows = trade?.Rows.Where(r => !r.IsRefund).ToLookup(r => r.OutTradeNo) ?? Enumerable.Empty<TradeBillRow>().ToLookup(r => r.OutTradeNo);
        var refundRows = trade?.Rows.Where(r => r.IsRefund).ToLookup(r => r.OutRefundNo!) ?? Enumerable.Empty<TradeBillRow>().ToLookup(r => r.OutTradeNo);
        for (var i = 0; i < fund.Rows.Count; i++)
        {
            var row = fund.Rows[i];
            var agrees = IsFee(row)
                ? charged == tradeFees
                : row.Direction == FundFlowBillRow.Income
                    ? paymentRows[row.VoucherNo].Any(p => p.SettlementTotalFen == row.AmountFen)
                    : refundRows[row.VoucherNo].Any(r => r.RefundFen == row.AmountFen);
            if (agrees)
            {
                MatchedFundRows.Add(i);
            }
        }
    }

    /// <summary>Payments recorded here on the day that the bill does not list (by transaction_id).</summary>
    public void MatchRecorded(IEnumerable<ShopPaymentOnDay> recorded, TradeBill? trade)
    {
        var billed = trade?.Rows.Where(r => !r.IsRefund).Select(r => r.TransactionId).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var payment in recorded.Where(p => !billed.Contains(p.TransactionId)))
        {
            Findings.Add(new Finding(DifferenceKinds.MissingFromBill, payment.TransactionId, payment.OrderNo, null, payment.TransactionId, null, payment.AmountFen,
                $"order {payment.OrderNo} recorded payment {payment.TransactionId} of {payment.AmountFen} fen on this day; WeChat Pay's bill does not list it"));
        }
    }

    /// <summary>Refunds recorded SUCCESS here on the day that the bill does not list (by out_refund_no).</summary>
    public void MatchRecordedRefunds(IEnumerable<ShopRefundOnDay> recorded, TradeBill? trade)
    {
        var billed = trade?.Rows.Where(r => r.IsRefund).Select(r => r.OutRefundNo!).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var refund in recorded.Where(r => !billed.Contains(r.OutRefundNo)))
        {
            Findings.Add(new Finding(DifferenceKinds.RefundMissingFromBill, refund.OutRefundNo, refund.OrderNo, refund.OutRefundNo, null, null, refund.AmountFen,
                $"order {refund.OrderNo} recorded refund {refund.OutRefundNo} of {refund.AmountFen} fen as SUCCESS at {refund.SucceededAt:O}; WeChat Pay's bill does not list it"));
        }
    }

    private static bool IsFee(FundFlowBillRow row) => row.BusinessType.Contains("手续费", StringComparison.Ordinal);

    private bool MatchPayment(TradeBillRow row)
    {
        if (!orders.TryGetValue(row.OutTradeNo, out var order))
        {
            Findings.Add(new Finding(DifferenceKinds.UnknownPayment, row.OutTradeNo, row.OutTradeNo, null, row.TransactionId, row.OrderTotalFen, null,
                $"WeChat Pay collected {row.OrderTotalFen} fen as {row.TransactionId} for out_trade_no {row.OutTradeNo}, which is no order of this shop"));
            return false;
        }

        var recorded = order.Payments.FirstOrDefault(p => p.TransactionId == row.TransactionId);
        if (row.TradeState == TradeBillRow.Revoked)
        {
            // A reversed payment collected nothing: it agrees with a shop that never recorded it, and is never applied.
            if (recorded is null)
            {
                return true;
            }

            Findings.Add(new Finding(DifferenceKinds.PaymentRevoked, row.OutTradeNo, row.OutTradeNo, null, row.TransactionId, 0, recorded.AmountFen,
                $"WeChat Pay's bill lists {row.TransactionId} as REVOKED (the payer has the money back); order {row.OutTradeNo} ({order.Status}) recorded it as a payment of {recorded.AmountFen} fen"));
            return false;
        }

        if (recorded is not null)
        {
            if (recorded.AmountFen == row.OrderTotalFen)
            {
                return true;
            }

            Findings.Add(new Finding(DifferenceKinds.AmountMismatch, row.OutTradeNo, row.OutTradeNo, null, row.TransactionId, row.OrderTotalFen, recorded.AmountFen,
                $"the bill says {row.TransactionId} paid {row.OrderTotalFen} fen, the shop recorded {recorded.AmountFen} fen"));
            return false;
        }

        if (row.OrderTotalFen != order.TotalFen)
        {
            // Never applied: money that is not the order's price is not a payment of it (as with a notification).
            Findings.Add(new Finding(DifferenceKinds.AmountMismatch, row.OutTradeNo, row.OutTradeNo, null, row.TransactionId, row.OrderTotalFen, order.TotalFen,
                $"WeChat Pay collected {row.OrderTotalFen} fen as {row.TransactionId}, but order {row.OutTradeNo} ({order.Status}) totals {order.TotalFen} fen and has no such payment"));
            return false;
        }

        Findings.Add(new Finding(DifferenceKinds.PaidNotRecorded, row.OutTradeNo, row.OutTradeNo, null, row.TransactionId, row.OrderTotalFen, null,
            $"WeChat Pay collected {row.OrderTotalFen} fen as {row.TransactionId}; order {row.OutTradeNo} was {order.Status} without that payment",
            SettlePayment: new PaidTransaction(row.OutTradeNo, row.TransactionId, row.OrderTotalFen, row.TradeTime, "bill")));
        return false;
    }

    private bool MatchRefund(TradeBillRow row)
    {
        var outRefundNo = row.OutRefundNo!;
        var ours = orders.TryGetValue(row.OutTradeNo, out var order) ? order.Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo) : null;
        var (amount, status) = ours is not null ? (ours.AmountFen, ours.Status)
            : automaticRefunds.TryGetValue(outRefundNo, out var automatic) ? (automatic.AmountFen, automatic.Status)
            : (0L, (string?)null);
        if (status is null)
        {
            Findings.Add(new Finding(DifferenceKinds.RefundMismatch, outRefundNo, row.OutTradeNo, outRefundNo, row.TransactionId, row.RefundFen, null,
                $"WeChat Pay refunded {row.RefundFen} fen of {row.OutTradeNo} as {outRefundNo} ({row.RefundStatus}), a refund the shop never made (e.g. by hand in the merchant platform)"));
            return false;
        }

        if (amount != row.RefundFen)
        {
            Findings.Add(new Finding(DifferenceKinds.RefundMismatch, outRefundNo, row.OutTradeNo, outRefundNo, row.TransactionId, row.RefundFen, amount,
                $"the bill refunds {row.RefundFen} fen as {outRefundNo}, the shop recorded {amount} fen"));
            return false;
        }

        if (status == row.RefundStatus)
        {
            return true;
        }

        var settle = ours is not null && RefundStates.InFlight(status) && row.RefundStatus == RefundStates.Success
            ? new RefundStatusUpdate(outRefundNo, row.RefundStatus, row.RefundFen, row.RefundId, "bill", row.TradeTime)
            : null;
        Findings.Add(new Finding(DifferenceKinds.RefundMismatch, outRefundNo, row.OutTradeNo, outRefundNo, row.TransactionId, row.RefundFen, amount,
            $"the bill says refund {outRefundNo} is {row.RefundStatus}, the shop has it {status}", SettleRefund: settle));
        return false;
    }
}
