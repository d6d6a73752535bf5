using System.Net;
using Shop.Client;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.Payments.Refunds;

/// <summary>The customer's cancel closes the WeChat Pay transaction first: no order is cancelled while its money may be on the way.</summary>
[Collection(RefundsCollection.Name)]
public sealed class CustomerCancelTests(RefundsCluster refunds)
{
    private ShopTestCluster Cluster => refunds.Cluster;

    [Fact]
    public async Task Cancelling_closes_the_wechat_pay_transaction_then_returns_the_stock()
    {
        var token = await refunds.LoginAsync("cancel-" + Guid.NewGuid().ToString("N"));
        var (order, productId) = await Cluster.OrderAsync(token, quantity: 2);
        await Cluster.PrepayAsync(token, order.OrderNo);

        var cancelled = OrderTestSupport.Ok(await Cluster.Orders(token).CancelOrderAsync(order.OrderNo));

        Assert.Equal(OrderStatuses.Cancelled, cancelled.Status);
        Assert.True((await Cluster.Grains.GetGrain<IOrderPaymentGrain>(order.OrderNo).GetAsync()).Closed);
        var (status, refusal) = await refunds.PayAgainAsync(order.OrderNo);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("CLOSED", refusal);
        var stock = await Poll.UntilAsync(() => Cluster.StockAsync(productId), l => l.Reserved == 0, what: "stock back");
        Assert.Equal((10L, 0L), (stock.Available, stock.Sold));

        // An order that never opened a transaction has nothing to close.
        var (plain, _) = await Cluster.OrderAsync(token, quantity: 1);
        Assert.Equal(OrderStatuses.Cancelled, OrderTestSupport.Ok(await Cluster.Orders(token).CancelOrderAsync(plain.OrderNo)).Status);
    }

    [Fact]
    public async Task Cancelling_an_order_that_wechat_pay_already_has_paid_makes_it_paid_and_answers_409()
    {
        var token = await refunds.LoginAsync("cancelpaid-" + Guid.NewGuid().ToString("N"));
        var (order, productId) = await Cluster.OrderAsync(token, quantity: 2);
        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        await refunds.Controls.ArmAsync(order.OrderNo, "drop", new { count = 100 });
        await refunds.Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));

        var refused = await Cluster.Orders(token).CancelOrderAsync(order.OrderNo);

        var problem = OrderTestSupport.Problem(refused, HttpStatusCode.Conflict, ShopErrorCodes.InvalidStateTransition);
        Assert.Contains("paid", problem.Detail);
        var paid = OrderTestSupport.Ok(await Cluster.Orders(token).GetOrderAsync(order.OrderNo));
        Assert.Equal(OrderStatuses.Paid, paid.Status);
        Assert.Equal(["Pay"], paid.History.Select(h => h.Trigger));
        Assert.Equal(2L, (await Cluster.StockAsync(productId)).Sold);
        Assert.False((await Cluster.Grains.GetGrain<IOrderPaymentGrain>(order.OrderNo).GetAsync()).Closed);
    }

    [Fact]
    public async Task While_wechat_pay_cannot_confirm_the_close_the_cancel_is_503_and_changes_nothing()
    {
        var token = await refunds.LoginAsync("canceldown-" + Guid.NewGuid().ToString("N"));
        var (order, productId) = await Cluster.OrderAsync(token, quantity: 2);
        await Cluster.PrepayAsync(token, order.OrderNo);
        var transaction = "/v3/pay/transactions/out-trade-no/" + order.OrderNo;
        Assert.Equal(HttpStatusCode.NoContent, (await refunds.FaultAsync(new FaultCommand(transaction, Count: 100))).Status);

        var refused = await Cluster.Orders(token).CancelOrderAsync(order.OrderNo);
        await refunds.ClearFaultsAsync();

        OrderTestSupport.Problem(refused, HttpStatusCode.ServiceUnavailable, ShopErrorCodes.ServiceUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(7), refused.Headers!.RetryAfter?.Delta);
        var unchanged = OrderTestSupport.Ok(await Cluster.Orders(token).GetOrderAsync(order.OrderNo));
        Assert.Equal((OrderStatuses.PendingPayment, 0), (unchanged.Status, unchanged.History.Count));
        Assert.Equal(2L, (await Cluster.StockAsync(productId)).Reserved);

        // Once WeChat Pay answers again, the same cancel goes through.
        Assert.Equal(OrderStatuses.Cancelled, OrderTestSupport.Ok(await Cluster.Orders(token).CancelOrderAsync(order.OrderNo)).Status);
        Assert.Contains("CLOSED", (await refunds.PayAgainAsync(order.OrderNo)).Body);
    }
}
