namespace Shop.WeChatPay.Bills;

/// <summary>
/// One row of a trade bill (交易账单). A payment row has <see cref="TradeState"/> SUCCESS (or REVOKED); a refund row
/// REFUND, with the refund's numbers and <see cref="RefundFen"/>. Money in fen; fees in thousandths of a fen.
/// </summary>
public sealed record TradeBillRow(
    DateTimeOffset TradeTime,
    string AppId,
    string MchId,
    string TransactionId,
    string OutTradeNo,
    string OpenId,
    string TradeType,
    string TradeState,
    string Currency,
    long SettlementTotalFen,
    long CouponFen,
    string? RefundId,
    string? OutRefundNo,
    long RefundFen,
    string RefundType,
    string RefundStatus,
    string ProductName,
    string Attach,
    long FeeMilliFen,
    string Rate,
    long OrderTotalFen,
    long RequestedRefundFen)
{
    /// <summary>交易状态 of a payment reversed by 撤销订单 (payment-code payments): the payer has the money back.</summary>
    public const string Revoked = "REVOKED";

    public bool IsRefund => OutRefundNo is not null;
}

/// <summary>The summary row: 总交易单数, 应结订单总金额, 退款总金额, 充值券退款总金额, 手续费总金额, 订单总金额, 申请退款总金额.</summary>
public sealed record TradeBillSummary(
    long Count, long SettlementTotalFen, long RefundFen, long RechargeCouponRefundFen, long FeeMilliFen, long OrderTotalFen, long RequestedRefundFen);

public sealed record TradeBill(IReadOnlyList<TradeBillRow> Rows, TradeBillSummary Summary)
{
    public const string FirstColumn = "交易时间";
    public const string SummaryMarker = "总交易单数";

    /// <exception cref="BillFormatException">Not a trade bill in the documented format, or the summary count disagrees.</exception>
    public static TradeBill Parse(string text)
    {
        var t = BillTable.Parse(text, FirstColumn, SummaryMarker);
        var rows = t.Rows.Select(r => new TradeBillRow(
            t.Time(r, "交易时间"), t.Text(r, "公众账号ID", false), t.Text(r, "商户号", false), t.Text(r, "微信订单号"), t.Text(r, "商户订单号"),
            t.Text(r, "用户标识", false), t.Text(r, "交易类型", false), t.Text(r, "交易状态"), t.Text(r, "货币种类", false),
            t.Fen(r, "应结订单金额"), t.Fen(r, "代金券金额", false), t.Optional(r, "微信退款单号"), t.Optional(r, "商户退款单号"),
            t.Fen(r, "退款金额"), t.Text(r, "退款类型", false), t.Text(r, "退款状态"), t.Text(r, "商品名称", false), t.Text(r, "商户数据包", false),
            BillMoney.ToMilliFen(t.Text(r, "手续费"), "手续费"), t.Text(r, "费率", false),
            // Bills of merchants without 免充值券 have no 订单金额: the settlement amount is then the order amount.
            t.Text(r, "订单金额", false).Length > 0 ? t.Fen(r, "订单金额") : t.Fen(r, "应结订单金额"),
            t.Fen(r, "申请退款金额", false))).ToList();
        var summary = new TradeBillSummary(t.SummaryCount("总交易单数"), t.SummaryFen("应结订单总金额"), t.SummaryFen("退款总金额"),
            t.SummaryFen("充值券退款总金额"), BillMoney.ToMilliFen(t.SummaryText("手续费总金额"), "手续费总金额"),
            t.SummaryFen("订单总金额"), t.SummaryFen("申请退款总金额"));
        if (summary.Count != rows.Count)
        {
            throw new BillFormatException($"the summary counts {summary.Count} rows, the bill has {rows.Count}");
        }

        return new TradeBill(rows, summary);
    }
}
