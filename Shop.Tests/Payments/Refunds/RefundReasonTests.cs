using System.Text;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using static Shop.Tests.Payments.Refunds.RefundTestSupport;

namespace Shop.Tests.Payments.Refunds;

/// <summary>
/// The API takes a refund reason of 80 characters; WeChat Pay takes 80 UTF-8 bytes of it (26 Chinese characters).
/// A long Chinese reason still refunds, WeChat Pay gets what fits, and the order keeps the whole reason.
/// </summary>
[Collection(RefundsCollection.Name)]
public sealed class RefundReasonTests(RefundsCluster refunds)
{
    [Fact]
    public async Task A_refund_with_eighty_chinese_characters_of_reason_is_accepted_by_wechat_pay_and_kept_whole()
    {
        var reason = string.Concat(Enumerable.Repeat("商品运输途中破损客户要求退款", 6))[..CreateRefundRequest.MaxReasonLength];
        var (token, order, _) = await refunds.PaidOrderAsync("longreason");

        var refund = await refunds.Admin.RefundOkAsync(order.OrderNo, Refund(1_000, reason), Key());
        await refunds.Controls.SettleRefundAsync(refund.OutRefundNo, "success");
        var back = await Poll.UntilAsync(async () => OrderTestSupport.Ok(await refunds.Cluster.Orders(token).GetOrderAsync(order.OrderNo)),
            o => o.RefundedFen == 1_000, what: "the refund to succeed");

        Assert.Equal(reason, back.Refunds.Single().Reason);
        var sent = Assert.Single(refunds.SimulatorLedger.RefundsNumbered(refund.OutRefundNo)).Reason;
        Assert.Equal(reason[..26], sent);
        Assert.True(Encoding.UTF8.GetByteCount(sent!) <= 80);
    }
}
