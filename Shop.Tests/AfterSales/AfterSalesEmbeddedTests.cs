using System.Net;
using Shop.Client.AfterSales;
using Shop.Grains.Interfaces.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using static Shop.Tests.AfterSales.AfterSalesCluster;

namespace Shop.Tests.AfterSales;

/// <summary>
/// The embedded mode (no PostgreSQL, no WeChat Pay, as <c>deploy/run-local.sh --no-payments</c> runs): requests live in
/// the in-memory store, the lists and counts work, and an approved refund waits for a payment provider instead of failing.
/// </summary>
public sealed class AfterSalesEmbeddedTests
{
    [Fact]
    public async Task Requests_are_kept_listed_and_counted_without_a_database()
    {
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true);
        var product = await cluster.ProductAsync(5, 1_000);
        var token = TestTokens.Customer("embedded-shopper");
        var other = await cluster.ProductAsync(5, 300);
        var order = await cluster.Orders(token).CreateAsync(OrderTestSupport.Request((product.Id, 2), (other.Id, 1)));
        await cluster.Grains.GetGrain<IOrderGrain>(order.OrderNo).MarkPaidAsync(new PaymentReceipt("4200000000000000000001", order.TotalFen, DateTimeOffset.UtcNow));
        var customer = AfterSalesApiClient.Create(cluster.CreateClient(token));
        var admin = AfterSalesApiClient.Create(cluster.CreateClient(TestTokens.Admin()));

        var first = OrderTestSupport.Ok(await customer.OpenAsync(order.OrderNo, Request(AfterSalesKinds.RefundOnly, (1, 1))), HttpStatusCode.Created);
        var again = Request(AfterSalesKinds.RefundOnly, (1, 1)) with { Reason = "买多了" };
        OrderTestSupport.Problem(await customer.OpenAsync(order.OrderNo, again), HttpStatusCode.Conflict, AfterSalesErrorCodes.AfterSalesLineBusy);
        OrderTestSupport.Ok(await admin.RejectAsync(first.RequestId, new AfterSalesDecisionRequest("请先联系客服")));
        var second = OrderTestSupport.Ok(await customer.OpenAsync(order.OrderNo, again), HttpStatusCode.Created);

        var all = OrderTestSupport.Ok(await admin.ListAsync());
        Assert.Equal((1L, 1L, 0L, 2L), (all.Counts[AfterSalesStatuses.Requested], all.Counts[AfterSalesStatuses.Rejected],
            all.Counts[AfterSalesStatuses.Refunding], all.Total));
        Assert.Equal([first.RequestId], OrderTestSupport.Ok(await admin.ListAsync(AfterSalesStatuses.Rejected)).Items.Select(r => r.RequestId));
        OrderTestSupport.Problem(await admin.ListAsync("Nope"), HttpStatusCode.BadRequest, Shop.Client.ShopErrorCodes.ValidationFailed);

        // Approved, but this deployment has no WeChat Pay: the request waits in "to refund" rather than failing.
        var approved = OrderTestSupport.Ok(await admin.ApproveAsync(second.RequestId, new AfterSalesDecisionRequest(null)));
        Assert.Equal((AfterSalesStatuses.Refunding, null), (approved.Status, approved.OutRefundNo));
        Assert.Equal(1L, OrderTestSupport.Ok(await admin.ListAsync()).Counts[AfterSalesStatuses.Refunding]);

        // After shipping, a return of the other line whose goods the merchant refuses ends without a refund or restock.
        OrderTestSupport.Ok(await cluster.Orders(TestTokens.Admin()).ShipOrderAsync(order.OrderNo, new Shop.Client.Orders.ShipOrderRequest("SF", "SF1")));
        var ret = OrderTestSupport.Ok(await customer.OpenAsync(order.OrderNo, Request(AfterSalesKinds.ReturnAndRefund, (2, 1))), HttpStatusCode.Created);
        OrderTestSupport.Ok(await admin.ApproveAsync(ret.RequestId, new AfterSalesDecisionRequest(null)));
        OrderTestSupport.Ok(await customer.SubmitReturnAsync(order.OrderNo, ret.RequestId, new SubmitReturnShipmentRequest("YTO", "YT123456789")));
        var refused = OrderTestSupport.Ok(await admin.RejectGoodsAsync(ret.RequestId, new AfterSalesDecisionRequest("退回商品已使用")));
        Assert.Equal(AfterSalesStatuses.GoodsRejected, refused.Status);
        Assert.Equal((5L, 1L), ((await cluster.StockAsync(other.Id)).Total, (await cluster.StockAsync(other.Id)).Sold));
        var history = OrderTestSupport.Ok(await cluster.Orders(token).GetOrderAsync(order.OrderNo)).History.Where(h => h.Trigger == "AfterSales");
        Assert.Equal(8, history.Count());
    }
}
