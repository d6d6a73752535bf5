using Shop.Grains.Interfaces.Payments;
using Shop.Grains.Payments.Reconciliation;
using Shop.WeChatPay.Bills;

namespace Shop.Tests.Payments.Reconciliation;

/// <summary>Fee totals: the trade bill's summary against its rows, and its fees against what the fund flow charged.</summary>
public sealed class BillMatcherFeeTests
{
    private const string Trade = """
        交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注
        `2026-12-05 10:00:01,`wx1,`1900000109,`0,`,`4200000000202612050000000001,`2026120500000000000000000001,`o1,`JSAPI,`SUCCESS,`OTHERS,`CNY,`100.00,`0.00,`0,`0,`0.00,`0.00,`,`,`Tea,`,`0.60000,`0.60%,`100.00,`0.00,`
        总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额
        `1,`100.00,`0.00,`0.00,{0},`100.00,`0.00
        """;

    private const string Fund = """
        记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号
        `2026-12-05 10:00:01,`4200000000202612050000000001,`1,`交易,`交易,`收入,`100.00,`100.00,`API,`,`2026120500000000000000000001
        `2026-12-05 10:00:01,`4200000000202612050000000001,`2,`扣除交易手续费,`扣除交易手续费,`支出,`{0},`99.40,`API,`,`2026120500000000000000000001
        资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额
        `2,`1,`100.00,`1,`{0}
        """;

    private static readonly Dictionary<string, ShopOrderFacts> Orders = new()
    {
        ["2026120500000000000000000001"] = new("2026120500000000000000000001", "Paid", 10_000,
            [new ShopPaymentFact("4200000000202612050000000001", 10_000, DateTimeOffset.Parse("2026-12-05T10:00:01+08:00"), false)], []),
    };

    [Fact]
    public void Fees_that_add_up_everywhere_match_every_row()
    {
        var (matcher, trade, fund) = Match("`0.60000", "0.60");

        Assert.Empty(matcher.Findings);
        Assert.Equal(trade.Rows.Count, matcher.MatchedTradeRows.Count);
        Assert.Equal(fund.Rows.Count, matcher.MatchedFundRows.Count);
    }

    [Fact]
    public void A_summary_that_disagrees_with_its_rows_and_a_fund_flow_that_charged_more_are_fee_differences()
    {
        var (matcher, _, fund) = Match("`0.70000", "0.61");

        Assert.Equal(["fund-flow-fees", "trade-bill-summary"], matcher.Findings.Select(f => f.Reference).Order());
        Assert.All(matcher.Findings, f => Assert.Equal("FEE_TOTALS", f.Kind));
        var charged = matcher.Findings.Single(f => f.Reference == "fund-flow-fees");
        Assert.Equal((61L, 60L), (charged.BillFen, charged.ShopFen));
        Assert.DoesNotContain(1, matcher.MatchedFundRows);
    }

    private static (BillMatcher Matcher, TradeBill Trade, FundFlowBill Fund) Match(string summaryFee, string charged)
    {
        var trade = TradeBill.Parse(Trade.Replace("{0}", summaryFee, StringComparison.Ordinal));
        var fund = FundFlowBill.Parse(Fund.Replace("{0}", charged, StringComparison.Ordinal));
        var matcher = new BillMatcher(Orders, new Dictionary<string, AutomaticRefund>());
        matcher.MatchTrade(trade);
        matcher.MatchFundFlow(fund, trade);
        return (matcher, trade, fund);
    }
}
