using Shop.Grains.Interfaces.Payments;
using Shop.Grains.Payments.Reconciliation;
using Shop.WeChatPay.Bills;

namespace Shop.Tests.Payments.Reconciliation;

/// <summary>A REVOKED trade-bill row is a reversed payment: never applied to an order, a difference when the shop recorded it.</summary>
public sealed class BillMatcherRevokedTests
{
    private const string OrderNo = "2026120500000000000000000007";
    private const string TransactionId = "4200000000202612050000000007";

    private const string Trade = """
        交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注
        `2026-12-05 10:00:01,`wx1,`1900000109,`0,`,`4200000000202612050000000007,`2026120500000000000000000007,`o1,`MICROPAY,`{0},`OTHERS,`CNY,`100.00,`0.00,`0,`0,`0.00,`0.00,`,`,`Tea,`,`0.00000,`0.60%,`100.00,`0.00,`
        总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额
        `1,`100.00,`0.00,`0.00,`0.00000,`100.00,`0.00
        """;

    [Fact]
    public void A_revoked_payment_of_an_unpaid_order_is_never_applied()
    {
        var matcher = Match("REVOKED", new ShopOrderFacts(OrderNo, "PendingPayment", 10_000, [], []));

        Assert.Empty(matcher.Findings);
        Assert.Equal([0], matcher.MatchedTradeRows);

        // The same row as SUCCESS is a lost payment the job applies: the state column is what keeps the revoked one out.
        var paid = Assert.Single(Match("SUCCESS", new ShopOrderFacts(OrderNo, "PendingPayment", 10_000, [], [])).Findings);
        Assert.Equal(("PAID_NOT_RECORDED", TransactionId), (paid.Kind, paid.SettlePayment?.TransactionId));
    }

    [Fact]
    public void A_revoked_payment_the_shop_recorded_as_paid_is_an_open_difference_never_settled()
    {
        var matcher = Match("REVOKED", new ShopOrderFacts(OrderNo, "Paid", 10_000,
            [new ShopPaymentFact(TransactionId, 10_000, DateTimeOffset.Parse("2026-12-05T10:00:01+08:00"), false)], []));

        var finding = Assert.Single(matcher.Findings);
        Assert.Equal(("PAYMENT_REVOKED", OrderNo, 0L, 10_000L), (finding.Kind, finding.OutTradeNo, finding.BillFen, finding.ShopFen));
        Assert.Null(finding.SettlePayment);
        Assert.Null(finding.SettleRefund);
        Assert.Empty(matcher.MatchedTradeRows);
    }

    private static BillMatcher Match(string state, ShopOrderFacts order)
    {
        var matcher = new BillMatcher(new Dictionary<string, ShopOrderFacts> { [OrderNo] = order }, new Dictionary<string, AutomaticRefund>());
        matcher.MatchTrade(TradeBill.Parse(Trade.Replace("{0}", state, StringComparison.Ordinal)));
        return matcher;
    }
}
