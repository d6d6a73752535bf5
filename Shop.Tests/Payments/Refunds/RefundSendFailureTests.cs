using System.Net;
using Shop.Client.Orders;
using Shop.Client.Payments;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.WeChatPay.Simulator.Controls;
using static Shop.Tests.Payments.Refunds.RefundTestSupport;

namespace Shop.Tests.Payments.Refunds;

/// <summary>The create-refund call failing: never arriving (the watch sends it again) or refused (nothing refunded).</summary>
[Collection(RefundsCollection.Name)]
public sealed class RefundSendFailureTests(RefundsCluster refunds)
{
    private const string RefundsPath = "/v3/refund/domestic/refunds";

    [Fact]
    public async Task A_refund_that_never_reached_wechat_pay_is_sent_again_by_the_watch_with_the_same_out_refund_no()
    {
        var (_, order, _) = await refunds.PaidOrderAsync("neverreached");
        // Every attempt, the client's own retries included, fails before WeChat Pay does anything.
        Assert.Equal(HttpStatusCode.NoContent, (await refunds.FaultAsync(new FaultCommand(RefundsPath, "POST", Count: 4))).Status);

        var failed = await refunds.Admin.RefundOrderAsync(order.OrderNo, Refund(900), Key());
        await refunds.ClearFaultsAsync();

        OrderTestSupport.Problem(failed, HttpStatusCode.ServiceUnavailable, PaymentErrorCodes.PaymentProviderUnavailable);
        var outRefundNo = failed.Extension("outRefundNo").GetString();
        Assert.Empty(await refunds.SimulatorRefundsAsync(order.OrderNo));

        // Nobody retries: the watch asks WeChat Pay, learns it has no such refund, and sends the very same one.
        var accepted = await Poll.UntilAsync(async () => OrderTestSupport.Ok(await refunds.Admin.GetOrderAsync(order.OrderNo)),
            o => o.Refunds.Single().Status == OrderRefundStatuses.Processing, what: "the watch to re-send the refund");
        Assert.Equal((OrderStatuses.Refunding, outRefundNo), (accepted.Status, accepted.Refunds[0].OutRefundNo));
        var atWeChatPay = Assert.Single(await refunds.SimulatorRefundsAsync(order.OrderNo));
        Assert.Equal((outRefundNo, 900L), (atWeChatPay.OutRefundNo, atWeChatPay.Amount!.Refund));
    }

    [Fact]
    public async Task A_refund_wechat_pay_refuses_is_502_refunds_nothing_and_frees_the_amount_again()
    {
        var (_, order, _) = await refunds.PaidOrderAsync("refused");
        var key = Key();
        await refunds.FaultAsync(new FaultCommand(RefundsPath, "POST", Count: 1, Status: 403, Code: "NOT_ENOUGH"));

        var refused = await refunds.Admin.RefundOrderAsync(order.OrderNo, Refund(order.TotalFen), key);

        var problem = OrderTestSupport.Problem(refused, HttpStatusCode.BadGateway, RefundErrorCodes.RefundRejected);
        Assert.Contains("NOT_ENOUGH", problem.Detail);
        var back = OrderTestSupport.Ok(await refunds.Admin.GetOrderAsync(order.OrderNo));
        Assert.Equal((OrderStatuses.Paid, 0L, OrderRefundStatuses.Rejected), (back.Status, back.RefundedFen, back.Refunds.Single().Status));
        Assert.Equal(["Pay", "RequestRefund", "RefundFailed"], back.History.Select(h => h.Trigger));
        Assert.Empty(await refunds.SimulatorRefundsAsync(order.OrderNo));

        // The same request again is the same refused refund; a new request may refund everything.
        OrderTestSupport.Problem(await refunds.Admin.RefundOrderAsync(order.OrderNo, Refund(order.TotalFen), key),
            HttpStatusCode.BadGateway, RefundErrorCodes.RefundRejected);
        var whole = await refunds.Admin.RefundOkAsync(order.OrderNo, Refund(order.TotalFen), Key());
        Assert.Equal(($"R{order.OrderNo}-02", OrderRefundStatuses.Processing), (whole.OutRefundNo, whole.Status));
    }
}
