using System.Net;
using Shop.Tests.WeChatPay.Simulator.Support;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Notifications;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.WeChatPay.Simulator;

/// <summary>Refunds: partial and full, the refundable limit, idempotency by out_refund_no, and the settle controls.</summary>
public sealed class SimulatorRefundTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task Partial_then_full_refund_within_the_paid_amount_and_over_the_limit_is_refused()
    {
        var outTradeNo = await PaidOrderAsync(1000);

        var partial = await sim.Shop.Api.CreateRefundAsync(Refund(outTradeNo, "RF-" + outTradeNo + "-1", 300, 1000));
        var over = await Assert.ThrowsAsync<WeChatPayApiException>(() => sim.Shop.Api.CreateRefundAsync(Refund(outTradeNo, "RF-" + outTradeNo + "-2", 701, 1000)));
        var rest = await sim.Shop.Api.CreateRefundAsync(Refund(outTradeNo, "RF-" + outTradeNo + "-3", 700, 1000));
        var order = await sim.Shop.Api.QueryByOutTradeNoAsync(outTradeNo, sim.Merchant.MchId);

        Assert.Equal((RefundStatuses.Processing, 300L, 1000L), (partial.Status, partial.Amount!.Refund, partial.Amount.Total));
        Assert.Equal((RefundStatuses.Processing, 700L), (rest.Status, rest.Amount!.Refund));
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_REQUEST"), (over.StatusCode, over.Code));
        Assert.Equal(TradeStates.Refund, order.TradeState);
        Assert.Matches("^[0-9]{29}$", partial.RefundId);
    }

    [Fact]
    public async Task The_same_out_refund_no_is_the_same_refund_and_never_refunds_twice()
    {
        var outTradeNo = await PaidOrderAsync(500);
        var request = Refund(outTradeNo, "RF-" + outTradeNo, 500, 500);

        var first = await sim.Shop.Api.CreateRefundAsync(request);
        var again = await sim.Shop.Api.CreateRefundAsync(request);
        var queried = await sim.Shop.Api.QueryRefundAsync(request.OutRefundNo);

        Assert.Equal((first.RefundId, first.CreateTime, first.Amount!.Refund), (again.RefundId, again.CreateTime, again.Amount!.Refund));
        Assert.Equal(first.RefundId, queried.RefundId);
    }

    [Fact]
    public async Task Settling_a_refund_as_success_sends_a_verified_REFUND_SUCCESS_and_the_query_shows_it()
    {
        var outTradeNo = await PaidOrderAsync(800);
        var created = await sim.Shop.Api.CreateRefundAsync(Refund(outTradeNo, "RF-" + outTradeNo, 200, 800));

        await sim.Controls.SettleRefundAsync(created.OutRefundNo, "success");
        var received = await sim.Receiver.WaitForAsync(outTradeNo, 2);
        var queried = await sim.Shop.Api.QueryRefundAsync(created.OutRefundNo);
        var again = await sim.Controls.PostAsync($"/simulator/refunds/{created.OutRefundNo}/abnormal");

        var notification = received.Single(r => r.Result.Notification!.IsRefund).Result;
        Assert.True(notification.IsValid);
        Assert.Equal(NotificationEventTypes.RefundSuccess, notification.Notification!.EventType);
        Assert.Equal("refund", notification.Notification.Envelope.Resource!.AssociatedData);
        var refund = notification.Notification.ReadRefund();
        Assert.Equal((RefundStatuses.Success, created.RefundId, sim.Merchant.MchId), (refund.RefundStatus, refund.RefundId, refund.MchId));
        Assert.Equal((800L, 200L, 800L, 200L), (refund.Amount!.Total, refund.Amount.Refund, refund.Amount.PayerTotal, refund.Amount.PayerRefund));
        Assert.NotNull(refund.SuccessTime);
        Assert.Equal((RefundStatuses.Success, refund.SuccessTime), (queried.Status, queried.SuccessTime));
        Assert.Equal((HttpStatusCode.Conflict, "REFUND_ALREADY_SETTLED"), again);
    }

    [Theory]
    [InlineData("abnormal", NotificationEventTypes.RefundAbnormal, RefundStatuses.Abnormal)]
    [InlineData("closed", NotificationEventTypes.RefundClosed, RefundStatuses.Closed)]
    public async Task A_failed_refund_sends_its_own_event_without_a_success_time(string outcome, string eventType, string status)
    {
        var outTradeNo = await PaidOrderAsync(300);
        var created = await sim.Shop.Api.CreateRefundAsync(Refund(outTradeNo, "RF-" + outTradeNo, 300, 300));

        await sim.Controls.SettleRefundAsync(created.OutRefundNo, outcome);
        var refund = (await sim.Receiver.WaitForAsync(outTradeNo, 2)).Single(r => r.Result.Notification!.IsRefund).Result.Notification!;

        Assert.Equal(eventType, refund.EventType);
        Assert.Equal(status, refund.ReadRefund().RefundStatus);
        Assert.Null(refund.ReadRefund().SuccessTime);
    }

    [Fact]
    public async Task A_closed_refund_frees_its_amount_for_a_new_refund()
    {
        var outTradeNo = await PaidOrderAsync(300);
        var closed = await sim.Shop.Api.CreateRefundAsync(Refund(outTradeNo, "RF-" + outTradeNo + "-1", 300, 300));
        await sim.Controls.SettleRefundAsync(closed.OutRefundNo, "closed");

        var retried = await sim.Shop.Api.CreateRefundAsync(Refund(outTradeNo, "RF-" + outTradeNo + "-2", 300, 300));

        Assert.Equal(RefundStatuses.Processing, retried.Status);
    }

    [Fact]
    public async Task Refunds_of_unpaid_or_unknown_orders_and_unknown_refunds_are_not_found()
    {
        var unpaid = SimulatorControls.NewOrderNo("RFUNPAID");
        await sim.Shop.Api.JsapiPrepayAsync(sim.Shop.Prepay(unpaid));

        var ofUnpaid = await Assert.ThrowsAsync<WeChatPayApiException>(() => sim.Shop.Api.CreateRefundAsync(Refund(unpaid, "RF-" + unpaid, 1, 1000)));
        var ofUnknown = await Assert.ThrowsAsync<WeChatPayApiException>(() => sim.Shop.Api.CreateRefundAsync(Refund("NO-SUCH-ORDER", "RF-NONE", 1, 1)));
        var query = await Assert.ThrowsAsync<WeChatPayApiException>(() => sim.Shop.Api.QueryRefundAsync("RF-NEVER-MADE"));

        Assert.All([ofUnpaid, ofUnknown, query], ex => Assert.Equal((HttpStatusCode.NotFound, "RESOURCE_NOT_EXISTS"), (ex.StatusCode, ex.Code)));
    }

    [Fact]
    public async Task A_refund_whose_total_is_not_the_order_amount_is_PARAM_ERROR()
    {
        var outTradeNo = await PaidOrderAsync(1000);

        var ex = await Assert.ThrowsAsync<WeChatPayApiException>(() => sim.Shop.Api.CreateRefundAsync(Refund(outTradeNo, "RF-" + outTradeNo, 100, 999)));

        Assert.Equal((HttpStatusCode.BadRequest, "PARAM_ERROR"), (ex.StatusCode, ex.Code));
        Assert.Equal("/amount/total", ex.Detail!.Value.GetProperty("field").GetString());
    }

    private async Task<string> PaidOrderAsync(long total)
    {
        var outTradeNo = SimulatorControls.NewOrderNo("RF");
        await sim.Shop.Api.JsapiPrepayAsync(sim.Shop.Prepay(outTradeNo, total));
        await sim.Controls.PayAsync(new PayCommand(OutTradeNo: outTradeNo));
        return outTradeNo;
    }

    private static RefundRequest Refund(string outTradeNo, string outRefundNo, long refund, long total) => new()
    {
        OutTradeNo = outTradeNo,
        OutRefundNo = outRefundNo,
        Reason = "商品缺货",
        Amount = new RefundRequestAmount(refund, total),
    };
}
