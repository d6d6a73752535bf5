using System.Net;
using Shop.Client;
using Shop.Client.Orders;
using Shop.Client.Payments;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.WeChatPay.Simulator.Controls;
using Shop.WeChatPay.Simulator.Notifications;
using static Shop.Tests.Payments.Refunds.RefundTestSupport;

namespace Shop.Tests.Payments.Refunds;

/// <summary>Admin refunds end to end: HTTP → order → WeChat Pay simulator → REFUND.* notification → order.</summary>
[Collection(RefundsCollection.Name)]
public sealed class MerchantRefundTests(RefundsCluster refunds)
{
    private ShopTestCluster Cluster => refunds.Cluster;

    [Fact]
    public async Task A_partial_then_a_full_refund_refund_exactly_what_was_paid_and_a_third_is_refused()
    {
        var (token, order, _) = await refunds.PaidOrderAsync("partial");

        var first = await refunds.Admin.RefundOkAsync(order.OrderNo, Refund(1_000), Key());
        Assert.Equal(($"R{order.OrderNo}-01", OrderRefundStatuses.Processing, OrderStatuses.Refunding, 0L),
            (first.OutRefundNo, first.Status, first.OrderStatus, first.RefundedFen));
        OrderTestSupport.Problem(await refunds.Admin.RefundOrderAsync(order.OrderNo, Refund(500), Key()),
            HttpStatusCode.Conflict, RefundErrorCodes.RefundInProgress);

        await refunds.Controls.SettleRefundAsync(first.OutRefundNo, "success");
        var partly = await Cluster.WaitForStatusAsync(token, order.OrderNo, OrderStatuses.Paid);
        Assert.Equal(1_000L, partly.RefundedFen);
        Assert.Equal(["Pay", "RequestRefund", "RefundPartially"], partly.History.Select(h => h.Trigger));
        Assert.Equal((first.OutRefundNo, 1_000L, OrderRefundStatuses.Success), Single(partly.Refunds));

        var rest = await refunds.Admin.RefundOkAsync(order.OrderNo, Refund(order.TotalFen - 1_000, "整单退货"), Key());
        Assert.Equal($"R{order.OrderNo}-02", rest.OutRefundNo);
        await refunds.Controls.SettleRefundAsync(rest.OutRefundNo, "success");
        var refunded = await Cluster.WaitForStatusAsync(TestTokens.Admin(), order.OrderNo, OrderStatuses.Refunded);
        Assert.Equal(order.TotalFen, refunded.RefundedFen);
        Assert.Equal(["Pay", "RequestRefund", "RefundPartially", "RequestRefund", "RefundInFull"], refunded.History.Select(h => h.Trigger));
        Assert.Equal(order.TotalFen, OrderTestSupport.Ok(await Cluster.Orders(token).GetOrderAsync(order.OrderNo)).RefundedFen);

        OrderTestSupport.Problem(await refunds.Admin.RefundOrderAsync(order.OrderNo, Refund(1), Key()),
            HttpStatusCode.Conflict, ShopErrorCodes.InvalidStateTransition);

        // WeChat Pay paid out exactly these two, and the notify route took both REFUND.SUCCESS notifications.
        var paidOut = await refunds.SimulatorRefundsAsync(order.OrderNo);
        Assert.Equal([(first.OutRefundNo, 1_000L), (rest.OutRefundNo, order.TotalFen - 1_000)], paidOut.Select(r => (r.OutRefundNo, r.Amount!.Refund)));
        var deliveries = await refunds.Controls.WaitUntilSettledAsync(order.OrderNo, notifications: 3);
        Assert.All(deliveries.Notifications, n => Assert.Equal(DeliveryState.Delivered, n.State));

        var events = await Poll.UntilAsync(() => refunds.EventsAsync(order.OrderNo), e => e.Count(x => x.Type == "OrderRefunded") == 2, what: "refund events");
        Assert.Equal(["OrderCreated", "OrderPaid", "OrderRefundRequested", "OrderRefunded", "OrderRefundRequested", "OrderRefunded"], events.Select(e => e.Type));
        var last = events[^1].Payload;
        Assert.Equal((true, order.TotalFen, order.TotalFen), (last.GetProperty("full").GetBoolean(), last.GetProperty("refundedFen").GetInt64(), last.GetProperty("paidFen").GetInt64()));
    }

    [Fact]
    public async Task A_refund_retried_with_the_same_key_refunds_once_and_the_same_key_with_another_body_is_422()
    {
        var (_, order, _) = await refunds.PaidOrderAsync("retry");
        var key = Key();

        var first = await refunds.Admin.RefundOkAsync(order.OrderNo, Refund(1_500), key);
        var again = await refunds.Admin.RefundOkAsync(order.OrderNo, Refund(1_500), key);
        var together = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => refunds.Admin.RefundOkAsync(order.OrderNo, Refund(1_500), key)));

        Assert.All(together.Append(again), r => Assert.Equal((first.OutRefundNo, 1_500L), (r.OutRefundNo, r.AmountFen)));
        OrderTestSupport.Problem(await refunds.Admin.RefundOrderAsync(order.OrderNo, Refund(1_501), key),
            HttpStatusCode.UnprocessableEntity, ShopErrorCodes.IdempotencyKeyReused);
        OrderTestSupport.Problem(await refunds.Admin.RefundOrderAsync(order.OrderNo, Refund(1_500, "另一个原因"), key),
            HttpStatusCode.UnprocessableEntity, ShopErrorCodes.IdempotencyKeyReused);
        var atWeChatPay = Assert.Single(await refunds.SimulatorRefundsAsync(order.OrderNo));
        Assert.Equal((first.OutRefundNo, 1_500L), (atWeChatPay.OutRefundNo, atWeChatPay.Amount!.Refund));

        // After it settled, the same request still answers with that refund, now done, counted once.
        await refunds.Controls.SettleRefundAsync(first.OutRefundNo, "success");
        var settled = await Poll.UntilAsync(() => refunds.Admin.RefundOkAsync(order.OrderNo, Refund(1_500), key),
            r => r.Status == OrderRefundStatuses.Success, what: "the refund to settle");
        Assert.Equal((first.OutRefundNo, 1_500L, OrderStatuses.Paid), (settled.OutRefundNo, settled.RefundedFen, settled.OrderStatus));
        Assert.Single(await refunds.SimulatorRefundsAsync(order.OrderNo));
    }

    [Fact]
    public async Task When_wechat_pay_takes_the_refund_but_the_answer_is_lost_the_retry_sends_the_same_out_refund_no()
    {
        var (_, order, _) = await refunds.PaidOrderAsync("lostanswer");
        var key = Key();
        // Every attempt of the create call (the client's own retries included) reaches WeChat Pay; every answer is lost.
        Assert.Equal(HttpStatusCode.NoContent, (await refunds.FaultAsync(new FaultCommand("/v3/refund/domestic/refunds", "POST", Count: 4, AfterProcessing: true))).Status);

        var lost = await refunds.Admin.RefundOrderAsync(order.OrderNo, Refund(700), key);
        await refunds.ClearFaultsAsync();

        OrderTestSupport.Problem(lost, HttpStatusCode.ServiceUnavailable, PaymentErrorCodes.PaymentProviderUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(7), lost.Headers!.RetryAfter?.Delta);
        var outRefundNo = lost.Extension("outRefundNo").GetString();
        var pending = OrderTestSupport.Ok(await refunds.Admin.GetOrderAsync(order.OrderNo));
        Assert.Equal(OrderStatuses.Refunding, pending.Status);
        Assert.Equal(outRefundNo, Assert.Single(pending.Refunds).OutRefundNo);

        var retried = await refunds.Admin.RefundOkAsync(order.OrderNo, Refund(700), key);

        Assert.Equal((outRefundNo, OrderRefundStatuses.Processing), (retried.OutRefundNo, retried.Status));
        var atWeChatPay = Assert.Single(await refunds.SimulatorRefundsAsync(order.OrderNo));
        Assert.Equal((outRefundNo, 700L), (atWeChatPay.OutRefundNo, atWeChatPay.Amount!.Refund));
    }

    [Fact]
    public async Task More_than_what_is_left_to_refund_is_409_and_nothing_reaches_wechat_pay()
    {
        var (_, order, _) = await refunds.PaidOrderAsync("exceeds");

        var response = await refunds.Admin.RefundOrderAsync(order.OrderNo, Refund(order.TotalFen + 1), Key());

        OrderTestSupport.Problem(response, HttpStatusCode.Conflict, RefundErrorCodes.RefundExceedsPaid);
        Assert.Equal(order.TotalFen, response.Extension("refundableFen").GetInt64());
        Assert.Empty(await refunds.SimulatorRefundsAsync(order.OrderNo));
        var unchanged = OrderTestSupport.Ok(await refunds.Admin.GetOrderAsync(order.OrderNo));
        Assert.Equal((OrderStatuses.Paid, 0L, 1), (unchanged.Status, unchanged.RefundedFen, unchanged.History.Count));
        Assert.Empty(unchanged.Refunds);
    }

    private static (string, long, string) Single(IReadOnlyList<OrderRefundResponse> refunds)
    {
        var refund = Assert.Single(refunds);
        return (refund.OutRefundNo, refund.AmountFen, refund.Status);
    }
}
