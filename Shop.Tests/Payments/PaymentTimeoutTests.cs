using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.WeChatPay;
using Shop.WeChatPay.Api;
using Shop.Grains.Interfaces.Payments;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.Payments;

/// <summary>Orders that time out after a few seconds; reconciliation far away, so only the close at the timeout can find a payment.</summary>
public sealed class ShortTimeoutPaymentsCluster : PaymentsCluster
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Orders:PaymentTimeout"] = "00:00:06",
        ["Orders:ReminderPeriod"] = "00:00:02",
        ["Orders:ReservationGrace"] = "00:05:00",
        ["Payments:ReconcileAfter:0"] = "00:30:00",
        ["Payments:ReconcileAfter:1"] = "00:40:00",
    };
}

public sealed class PaymentTimeoutTests(ShortTimeoutPaymentsCluster payments) : IClassFixture<ShortTimeoutPaymentsCluster>
{
    private ShopTestCluster Cluster => payments.Cluster;

    [Fact]
    public async Task An_unpaid_order_closes_its_wechat_pay_transaction_then_cancels_and_returns_the_stock()
    {
        var token = await payments.LoginAsync("timeout-" + Guid.NewGuid().ToString("N"));
        var (order, productId) = await Cluster.OrderAsync(token, quantity: 2);
        var payment = await Cluster.PrepayAsync(token, order.OrderNo);

        var cancelled = await Cluster.WaitForStatusAsync(token, order.OrderNo, "Cancelled");

        Assert.Equal("PaymentTimeout", cancelled.History[^1].Trigger);
        Assert.True((await Cluster.Grains.GetGrain<IOrderPaymentGrain>(order.OrderNo).GetAsync()).Closed);
        var stock = await Poll.UntilAsync(() => Cluster.StockAsync(productId), l => l.Reserved == 0, what: "stock back");
        Assert.Equal((10L, 0L), (stock.Available, stock.Sold));
        // The closed transaction cannot be paid any more.
        var (status, _) = await payments.Controls.PostAsync("/simulator/pay", new PayCommand(PrepayId: payment.PrepayId()));
        Assert.NotEqual(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_payment_whose_notifications_were_lost_is_found_when_closing_and_the_order_is_paid_not_cancelled()
    {
        var token = await payments.LoginAsync("lastsecond-" + Guid.NewGuid().ToString("N"));
        var (order, productId) = await Cluster.OrderAsync(token, quantity: 1);
        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        await payments.Controls.ArmAsync(order.OrderNo, "drop", new { count = 100 });
        await payments.Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));

        var paid = await Cluster.WaitForStatusAsync(token, order.OrderNo, "Paid");

        Assert.DoesNotContain(paid.History, h => h.Trigger == "PaymentTimeout");
        Assert.Equal(1, paid.Transitions("Pay"));
        Assert.Equal(1L, (await Cluster.StockAsync(productId)).Sold);
    }

    [Fact]
    public async Task A_payment_that_lands_on_a_cancelled_order_is_refunded_automatically_once()
    {
        var token = await payments.LoginAsync("late-" + Guid.NewGuid().ToString("N"));
        var (order, _) = await Cluster.OrderAsync(token, quantity: 1);
        OrderTestSupport.Ok(await Cluster.Orders(token).CancelOrderAsync(order.OrderNo));

        // A cancel closes the order's transaction, so here WeChat Pay holds one the shop never recorded (as a prepay that
        // raced the cancel would leave): opened with the silo's own signed client, then paid.
        var prepayId = await PrepayBehindTheShop.OpenAsync(Cluster, order.OrderNo, order.TotalFen, "oLatePayer000000000000000001");
        await payments.Controls.ArmAsync(order.OrderNo, "duplicate", new { count = 3, concurrent = true });
        var transaction = await payments.Controls.PayAsync(new PayCommand(PrepayId: prepayId));
        var summary = await Poll.UntilAsync(() => Cluster.Grains.GetGrain<IOrderPaymentGrain>(order.OrderNo).GetAsync(),
            s => s.AutomaticRefunds.Count > 0, what: "automatic refund");
        await payments.Controls.WaitUntilSettledAsync(order.OrderNo, notifications: 4);

        var refund = Assert.Single((await Cluster.Grains.GetGrain<IOrderPaymentGrain>(order.OrderNo).GetAsync()).AutomaticRefunds);
        Assert.Equal((transaction.TransactionId, order.TotalFen), (refund.TransactionId, refund.AmountFen));
        var settled = await payments.Controls.SettleRefundAsync(refund.OutRefundNo, "success");
        Assert.Equal(order.TotalFen, settled.Amount!.Refund);
        var after = OrderTestSupport.Ok(await Cluster.Orders(token).GetOrderAsync(order.OrderNo));
        Assert.Equal("Cancelled", after.Status);
        Assert.Equal(0, after.Transitions("Pay"));
        Assert.Single(summary.AutomaticRefunds);
    }
}
