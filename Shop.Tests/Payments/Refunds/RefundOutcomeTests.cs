using System.Net;
using Shop.Client;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.WeChatPay.Simulator.Notifications;
using static Shop.Tests.Payments.Refunds.RefundTestSupport;

namespace Shop.Tests.Payments.Refunds;

/// <summary>How refunds end (failed at WeChat Pay, notification lost) and what the route refuses.</summary>
[Collection(RefundsCollection.Name)]
public sealed class RefundOutcomeTests(RefundsCluster refunds)
{
    private ShopTestCluster Cluster => refunds.Cluster;

    [Theory]
    [InlineData("abnormal", OrderRefundStatuses.Abnormal)]
    [InlineData("closed", OrderRefundStatuses.Closed)]
    public async Task A_refund_that_wechat_pay_ends_abnormal_or_closed_returns_the_order_to_paid_with_nothing_refunded(string outcome, string status)
    {
        var (token, order, _) = await refunds.PaidOrderAsync("failed-" + outcome);
        var refund = await refunds.Admin.RefundOkAsync(order.OrderNo, Refund(1_000), Key());

        await refunds.Controls.SettleRefundAsync(refund.OutRefundNo, outcome);
        var back = await Poll.UntilAsync(async () => OrderTestSupport.Ok(await Cluster.Orders(token).GetOrderAsync(order.OrderNo)),
            o => o.Refunds.Single().Status == status, what: $"refund {status}");

        Assert.Equal((OrderStatuses.Paid, 0L), (back.Status, back.RefundedFen));
        Assert.Equal(["Pay", "RequestRefund", "RefundFailed"], back.History.Select(h => h.Trigger));
        var events = await Poll.UntilAsync(() => refunds.EventsAsync(order.OrderNo), e => e.Any(x => x.Type == "OrderRefundFailed"), what: "failure event");
        Assert.Equal(status, events.Single(e => e.Type == "OrderRefundFailed").Payload.GetProperty("status").GetString());

        // WeChat Pay keeps an ABNORMAL refund's money bound to it (the merchant redirects it); a CLOSED one frees it.
        var whole = await refunds.Admin.RefundOrderAsync(order.OrderNo, Refund(order.TotalFen), Key());
        if (status == OrderRefundStatuses.Abnormal)
        {
            OrderTestSupport.Problem(whole, HttpStatusCode.Conflict, RefundErrorCodes.RefundExceedsPaid);
            Assert.Equal(order.TotalFen - 1_000, whole.Extension("refundableFen").GetInt64());
        }
        else
        {
            Assert.Equal(OrderRefundStatuses.Processing, OrderTestSupport.Ok(whole, HttpStatusCode.Created).Status);
        }
    }

    [Fact]
    public async Task A_refund_whose_notifications_are_all_lost_is_settled_by_the_query_and_a_shipped_order_returns_to_shipped()
    {
        var (token, order, _) = await refunds.PaidOrderAsync("lostrefund");
        OrderTestSupport.Ok(await refunds.Admin.ShipOrderAsync(order.OrderNo, new ShipOrderRequest("SF", "SF1001")));
        await refunds.Controls.ArmAsync(order.OrderNo, "drop", new { count = 100 });
        var refund = await refunds.Admin.RefundOkAsync(order.OrderNo, Refund(1_200), Key());

        await refunds.Controls.SettleRefundAsync(refund.OutRefundNo, "success");
        var back = await Cluster.WaitForStatusAsync(token, order.OrderNo, OrderStatuses.Shipped);

        Assert.Equal(1_200L, back.RefundedFen);
        Assert.Equal(("RefundPartially", "wechatpay"), (back.History[^1].Trigger, back.History[^1].Actor));
        Assert.Contains("(query)", back.History[^1].Reason);
        var notifications = await refunds.Controls.NotificationsAsync(order.OrderNo);
        var lost = Assert.Single(notifications.Notifications, n => n.OutRefundNo == refund.OutRefundNo);
        Assert.NotEqual(DeliveryState.Delivered, lost.State);
    }

    [Fact]
    public async Task Bad_refund_requests_are_400_with_the_fields_named_and_refusals_are_clear()
    {
        var (token, paid, _) = await refunds.PaidOrderAsync("badinput");
        var no = paid.OrderNo;

        AssertFields(await refunds.Admin.RefundOrderAsync(no, new CreateRefundRequest(0, "x"), Key()), "amountFen");
        AssertFields(await refunds.Admin.RefundOrderAsync(no, new CreateRefundRequest(-5, null), Key()), "amountFen", "reason");
        AssertFields(await refunds.Admin.RefundOrderAsync(no, new CreateRefundRequest(null, "   "), Key()), "amountFen", "reason");
        AssertFields(await refunds.Admin.RefundOrderAsync(no, Refund(100, new string('退', CreateRefundRequest.MaxReasonLength + 1)), Key()), "reason");
        AssertFields(await refunds.Admin.RefundOrderAsync(no, Refund(100, "broken 📦"), Key()), "reason");
        AssertFields(await refunds.Admin.RefundOrderAsync(no, Refund(100), idempotencyKey: null), "Idempotency-Key");

        OrderTestSupport.Problem(await Cluster.Orders(token).RefundOrderAsync(no, Refund(100), Key()), HttpStatusCode.Forbidden, ShopErrorCodes.Forbidden);
        OrderTestSupport.Problem(await refunds.Admin.RefundOrderAsync("20260101" + new string('0', 19) + "1", Refund(100), Key()),
            HttpStatusCode.NotFound, ShopErrorCodes.OrderNotFound);
        OrderTestSupport.Problem(await refunds.Admin.RefundOrderAsync("not-an-order", Refund(100), Key()), HttpStatusCode.NotFound, ShopErrorCodes.OrderNotFound);
        var (unpaid, _) = await Cluster.OrderAsync(token, quantity: 1);
        OrderTestSupport.Problem(await refunds.Admin.RefundOrderAsync(unpaid.OrderNo, Refund(100), Key()),
            HttpStatusCode.Conflict, ShopErrorCodes.InvalidStateTransition);

        var untouched = OrderTestSupport.Ok(await refunds.Admin.GetOrderAsync(no));
        Assert.Equal((OrderStatuses.Paid, 0), (untouched.Status, untouched.Refunds.Count));
        Assert.Empty(await refunds.SimulatorRefundsAsync(no));
    }

    private static void AssertFields(Refit.IApiResponse<RefundResponse> response, params string[] fields)
    {
        var problem = OrderTestSupport.Problem(response, HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
        Assert.Equal(fields.Order(StringComparer.Ordinal), problem.Errors.Keys.Order(StringComparer.Ordinal));
    }
}
