using System.Net;
using Shop.Tests.WeChatPay.Simulator.Support;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Notifications;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.WeChatPay.Simulator;

/// <summary>JSAPI orders through the real shop client against the simulator: prepay, pay, notify, query, close.</summary>
public sealed class SimulatorPaymentTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task Prepay_then_payment_delivers_a_verified_encrypted_TRANSACTION_SUCCESS_notification()
    {
        var outTradeNo = SimulatorControls.NewOrderNo("PAY");
        var prepay = await sim.Shop.Api.JsapiPrepayAsync(sim.Shop.Prepay(outTradeNo, total: 2590));

        var paid = await sim.Controls.PayAsync(new PayCommand(PrepayId: prepay.PrepayId));
        var received = Assert.Single(await sim.Receiver.WaitForAsync(outTradeNo, 1));

        Assert.StartsWith("wx", prepay.PrepayId);
        Assert.True(received.Result.IsValid, received.Result.Verification.Message);
        Assert.Equal(sim.PlatformKeys.PublicKeyId, received.Serial);
        var notification = received.Result.Notification!;
        Assert.Equal(NotificationEventTypes.TransactionSuccess, notification.EventType);
        Assert.Equal(("transaction", "transaction"), (notification.OriginalType, notification.Envelope.Resource!.AssociatedData));
        Assert.Equal(12, notification.Envelope.Resource.Nonce.Length);
        var transaction = notification.ReadTransaction();
        Assert.Equal((TradeStates.Success, 2590L, 2590L), (transaction.TradeState, transaction.Amount!.Total, transaction.Amount.PayerTotal));
        Assert.Equal((sim.Merchant.MchId, sim.Merchant.AppId, "JSAPI"), (transaction.MchId, transaction.AppId, transaction.TradeType));
        Assert.Equal(paid.TransactionId, transaction.TransactionId);
        Assert.Equal("oTestPayer0000000000000000001", transaction.Payer!.OpenId);
        Assert.Equal("order:" + outTradeNo, transaction.Attach);
        Assert.Equal(TimeSpan.FromHours(8), transaction.SuccessTime!.Value.Offset);
        var delivered = await sim.Controls.WaitUntilSettledAsync(outTradeNo);
        Assert.Equal(204, Assert.Single(Assert.Single(delivered.Notifications).Attempts).Status);
    }

    [Fact]
    public async Task Queries_follow_the_order_from_NOTPAY_to_SUCCESS_and_by_transaction_id_only_once_paid()
    {
        var outTradeNo = SimulatorControls.NewOrderNo("QRY");
        await sim.Shop.Api.JsapiPrepayAsync(sim.Shop.Prepay(outTradeNo));

        var open = await sim.Shop.Api.QueryByOutTradeNoAsync(outTradeNo, sim.Merchant.MchId);
        var paid = await sim.Controls.PayAsync(new PayCommand(OutTradeNo: outTradeNo));
        var byNumber = await sim.Shop.Api.QueryByOutTradeNoAsync(outTradeNo, sim.Merchant.MchId);
        var byId = await sim.Shop.Api.QueryByTransactionIdAsync(paid.TransactionId!, sim.Merchant.MchId);

        Assert.Equal(TradeStates.NotPay, open.TradeState);
        Assert.Null(open.TransactionId);
        Assert.Null(open.Attach);
        Assert.Equal((TradeStates.Success, paid.TransactionId), (byNumber.TradeState, byNumber.TransactionId));
        Assert.Equal(byNumber, byId);
        Assert.Matches("^[0-9]{28}$", paid.TransactionId);
        var unknown = await Assert.ThrowsAsync<WeChatPayApiException>(() => sim.Shop.Api.QueryByTransactionIdAsync("4200000000000000000000000000", sim.Merchant.MchId));
        Assert.Equal((HttpStatusCode.NotFound, "ORDER_NOT_EXIST"), (unknown.StatusCode, unknown.Code));
    }

    [Fact]
    public async Task Identical_prepay_resend_returns_the_same_prepay_id_and_different_parameters_are_OUT_TRADE_NO_USED()
    {
        var outTradeNo = SimulatorControls.NewOrderNo("IDEM");
        var request = sim.Shop.Prepay(outTradeNo, total: 100);

        var first = await sim.Shop.Api.JsapiPrepayAsync(request);
        var again = await sim.Shop.Api.JsapiPrepayAsync(request);
        var changed = await Assert.ThrowsAsync<WeChatPayApiException>(() => sim.Shop.Api.JsapiPrepayAsync(request with { Amount = new PrepayAmount(101) }));

        Assert.Equal(first.PrepayId, again.PrepayId);
        Assert.Equal((HttpStatusCode.Forbidden, "OUT_TRADE_NO_USED"), (changed.StatusCode, changed.Code));
        Assert.True(changed.SignatureVerified);
    }

    [Fact]
    public async Task Close_turns_an_unpaid_order_CLOSED_with_a_signed_204_and_then_refuses_payment_and_prepay()
    {
        var outTradeNo = SimulatorControls.NewOrderNo("CLS");
        var request = sim.Shop.Prepay(outTradeNo);
        await sim.Shop.Api.JsapiPrepayAsync(request);

        await sim.Shop.Api.CloseAsync(outTradeNo, new CloseOrderRequest(sim.Merchant.MchId));
        await sim.Shop.Api.CloseAsync(outTradeNo, new CloseOrderRequest(sim.Merchant.MchId));
        var closed = await sim.Shop.Api.QueryByOutTradeNoAsync(outTradeNo, sim.Merchant.MchId);
        var pay = await sim.Controls.PostAsync("/simulator/pay", new PayCommand(OutTradeNo: outTradeNo));
        var resend = await Assert.ThrowsAsync<WeChatPayApiException>(() => sim.Shop.Api.JsapiPrepayAsync(request));

        Assert.Equal(TradeStates.Closed, closed.TradeState);
        Assert.Equal((HttpStatusCode.Conflict, "ORDER_NOT_PAYABLE"), pay);
        Assert.Equal((HttpStatusCode.BadRequest, "ORDER_CLOSED"), (resend.StatusCode, resend.Code));
        Assert.Empty(sim.Receiver.For(outTradeNo));
    }

    [Fact]
    public async Task Closing_a_paid_or_unknown_order_is_refused()
    {
        var outTradeNo = SimulatorControls.NewOrderNo("CLSPAID");
        await sim.Shop.Api.JsapiPrepayAsync(sim.Shop.Prepay(outTradeNo));
        await sim.Controls.PayAsync(new PayCommand(OutTradeNo: outTradeNo));

        var paid = await Assert.ThrowsAsync<WeChatPayApiException>(() => sim.Shop.Api.CloseAsync(outTradeNo, new CloseOrderRequest(sim.Merchant.MchId)));
        var unknown = await Assert.ThrowsAsync<WeChatPayApiException>(() => sim.Shop.Api.CloseAsync("NO-SUCH-ORDER", new CloseOrderRequest(sim.Merchant.MchId)));
        var twice = await sim.Controls.PostAsync("/simulator/pay", new PayCommand(OutTradeNo: outTradeNo));

        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_REQUEST"), (paid.StatusCode, paid.Code));
        Assert.Equal((HttpStatusCode.NotFound, "ORDER_NOT_EXIST"), (unknown.StatusCode, unknown.Code));
        Assert.Equal((HttpStatusCode.Conflict, "ORDER_NOT_PAYABLE"), twice);
        Assert.Equal(TradeStates.Success, (await sim.Shop.Api.QueryByOutTradeNoAsync(outTradeNo, sim.Merchant.MchId)).TradeState);
    }

    [Fact]
    public async Task An_appid_not_bound_to_the_merchant_is_APPID_MCHID_NOT_MATCH()
    {
        var ex = await Assert.ThrowsAsync<WeChatPayApiException>(() =>
            sim.Shop.Api.JsapiPrepayAsync(sim.Shop.Prepay(SimulatorControls.NewOrderNo("APPID"), appId: "wx0000000000000000")));

        Assert.Equal((HttpStatusCode.BadRequest, "APPID_MCHID_NOT_MATCH"), (ex.StatusCode, ex.Code));
    }

    [Fact]
    public async Task Amount_overrides_produce_a_notification_whose_total_differs_from_the_order()
    {
        var outTradeNo = SimulatorControls.NewOrderNo("MISMATCH");
        await sim.Shop.Api.JsapiPrepayAsync(sim.Shop.Prepay(outTradeNo, total: 1000));

        await sim.Controls.PayAsync(new PayCommand(OutTradeNo: outTradeNo, AmountTotal: 1, PayerTotal: 1, OpenId: "oSomeoneElse"));
        var transaction = Assert.Single(await sim.Receiver.WaitForAsync(outTradeNo, 1)).Result.Notification!.ReadTransaction();

        Assert.Equal((1L, 1L), (transaction.Amount!.Total, transaction.Amount.PayerTotal));
        Assert.Equal("oSomeoneElse", transaction.Payer!.OpenId);
    }

    [Fact]
    public async Task Paying_with_an_unknown_prepay_id_is_not_found()
    {
        var answer = await sim.Controls.PostAsync("/simulator/pay", new PayCommand(PrepayId: "wx_not_issued"));

        Assert.Equal((HttpStatusCode.NotFound, "ORDER_NOT_FOUND"), answer);
    }
}
