using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Simulator.Payments;

namespace Shop.WeChatPay.Simulator.Bills;

/// <summary>
/// Builds a merchant's bills of one day (Beijing time) from what the simulator really processed: every payment whose
/// success_time falls on that day, every refund that succeeded on it, plus the injected differences. The format is
/// WeChat Pay's: header row, detail rows with each value behind a backtick, then the summary header and row; amounts in
/// yuan. Fees are <see cref="BillOptions.FeeRate"/> of each payment, rounded half up to the fen, charged per payment in
/// the fund-flow bill; refunds return no fee. The summary's 手续费总金额 is the sum of the rows' fees (unless a test
/// control makes it disagree).
/// </summary>
internal sealed class BillBuilder(SimulatorLedger ledger, BillInjections injections, IOptions<BillOptions> options)
{
    public const string TradeHeader = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
    public const string TradeSummaryHeader = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";
    public const string FundHeader = "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号";
    public const string FundSummaryHeader = "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额";

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private sealed record Payment(DateTimeOffset At, string AppId, string TransactionId, string OutTradeNo, string OpenId, long Total, string Description);

    private sealed record RefundRow(DateTimeOffset At, string AppId, string TransactionId, string OutTradeNo, string OpenId, string RefundId,
        string OutRefundNo, long Refund, string Description);

    private long FeeFen(long total) => options.Value.FeeFen(total);

    /// <summary>The trade bill, or null when the day has no row of that type (WeChat Pay then answers NO_STATEMENT_EXIST).</summary>
    public string? TradeBill(string mchId, DateOnly day, string billType)
    {
        var (payments, refunds) = Collect(mchId, day);
        payments = billType == TradeBillTypes.Refund ? [] : payments;
        refunds = billType == TradeBillTypes.Success ? [] : refunds;
        if (payments.Count + refunds.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder(TradeHeader).Append('\n');
        foreach (var p in payments)
        {
            Line(text, Time(p.At), p.AppId, mchId, "0", "", p.TransactionId, p.OutTradeNo, p.OpenId, "JSAPI", TradeStates.Success, "OTHERS", "CNY",
                Yuan(p.Total), "0.00", "0", "0", "0.00", "0.00", "", "", p.Description, "", Fee(FeeFen(p.Total)), options.Value.RateText, Yuan(p.Total), "0.00", "");
        }

        foreach (var r in refunds)
        {
            Line(text, Time(r.At), r.AppId, mchId, "0", "", r.TransactionId, r.OutTradeNo, r.OpenId, "JSAPI", TradeStates.Refund, "OTHERS", "CNY",
                "0.00", "0.00", r.RefundId, r.OutRefundNo, Yuan(r.Refund), "0.00", "ORIGINAL", RefundStatuses.Success, r.Description, "",
                Fee(0), options.Value.RateText, "0.00", Yuan(r.Refund), "");
        }

        var paid = payments.Sum(p => p.Total);
        var refunded = refunds.Sum(r => r.Refund);
        text.Append(TradeSummaryHeader).Append('\n');
        Line(text, (payments.Count + refunds.Count).ToString(CultureInfo.InvariantCulture), Yuan(paid), Yuan(refunded), "0.00",
            Fee(payments.Sum(p => FeeFen(p.Total)) + injections.FeeTotalDelta(mchId, day)), Yuan(paid), Yuan(refunded));
        return text.ToString();
    }

    /// <summary>The BASIC account's movements of the day: payments in, their fees and refunds out (other accounts: empty).</summary>
    public string? FundFlowBill(string mchId, DateOnly day, string accountType)
    {
        var (payments, refunds) = accountType == FundAccountTypes.Basic ? Collect(mchId, day) : ([], []);
        var moves = payments.SelectMany(p => new[]
            {
                (p.At, No: p.TransactionId, Name: "交易", Type: "交易", In: true, Amount: p.Total, Voucher: p.OutTradeNo, Note: ""),
                (p.At, No: p.TransactionId, Name: "扣除交易手续费", Type: "扣除交易手续费", In: false, Amount: FeeFen(p.Total), Voucher: p.OutTradeNo, Note: ""),
            })
            .Where(m => m.Amount > 0)
            .Concat(refunds.Select(r => (r.At, No: r.RefundId, Name: "退款", Type: "退款", In: false, Amount: r.Refund, Voucher: r.OutRefundNo,
                Note: $"退款总金额{Yuan(r.Refund)}元;含手续费0.00元")))
            .OrderBy(m => m.At).ToList();
        if (moves.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder(FundHeader).Append('\n');
        var balance = 0L;
        var flow = 0;
        foreach (var m in moves)
        {
            balance += m.In ? m.Amount : -m.Amount;
            Line(text, Time(m.At), m.No, $"{day:yyyyMMdd}{++flow:D12}", m.Name, m.Type, m.In ? "收入" : "支出", Yuan(m.Amount), Yuan(balance),
                mchId + "API", m.Note, m.Voucher);
        }

        text.Append(FundSummaryHeader).Append('\n');
        var income = moves.Where(m => m.In).ToList();
        var expense = moves.Where(m => !m.In).ToList();
        Line(text, moves.Count.ToString(CultureInfo.InvariantCulture), income.Count.ToString(CultureInfo.InvariantCulture), Yuan(income.Sum(m => m.Amount)),
            expense.Count.ToString(CultureInfo.InvariantCulture), Yuan(expense.Sum(m => m.Amount)));
        return text.ToString();
    }

    private (List<Payment> Payments, List<RefundRow> Refunds) Collect(string mchId, DateOnly day)
    {
        List<Payment> payments;
        List<RefundRow> refunds;
        lock (ledger.Gate)
        {
            payments = ledger.Orders
                .Where(o => o.MchId == mchId && o.IsPaid && o.SuccessTime is { } at && On(at, day))
                .Select(o => new Payment(o.SuccessTime!.Value, o.AppId, o.TransactionId!, o.OutTradeNo, o.PayerOpenId ?? o.OpenId,
                    injections.Amount(o.Key) ?? o.PaidTotal ?? o.Total, o.Description))
                .ToList();
            var orders = ledger.Orders.Where(o => o.MchId == mchId).ToDictionary(o => o.OutTradeNo);
            refunds = ledger.Refunds
                .Where(r => r.MchId == mchId && r.Status == RefundStatuses.Success && r.SuccessTime is { } at && On(at, day))
                .Select(r => new RefundRow(r.SuccessTime!.Value, orders.GetValueOrDefault(r.OutTradeNo)?.AppId ?? "", r.TransactionId, r.OutTradeNo,
                    orders.GetValueOrDefault(r.OutTradeNo)?.OpenId ?? "", r.RefundId, r.OutRefundNo, r.Refund,
                    orders.GetValueOrDefault(r.OutTradeNo)?.Description ?? ""))
                .ToList();
        }

        payments.AddRange(injections.Payments(mchId).Where(p => On(p.SuccessTime, day))
            .Select(p => new Payment(p.SuccessTime, "", p.TransactionId, p.OutTradeNo, "", p.Total, "")));
        return ([.. payments.OrderBy(p => p.At)], [.. refunds.OrderBy(r => r.At)]);
    }

    private static bool On(DateTimeOffset at, DateOnly day) => DateOnly.FromDateTime(at.ToOffset(Beijing).DateTime) == day;

    private static string Time(DateTimeOffset at) => at.ToOffset(Beijing).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Yuan(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Fee(long fen) => (fen / 100m).ToString("0.00000", CultureInfo.InvariantCulture);

    /// <summary>Every value behind a backtick; one that holds a comma, quote or line break is quoted as RFC 4180 says.</summary>
    private static void Line(StringBuilder text, params string[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var value = "`" + values[i];
            text.Append(i == 0 ? "" : ",").Append(value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value);
        }

        text.Append('\n');
    }
}
