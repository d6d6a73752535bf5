using System.Net;
using Shop.Client;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Orders;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Orders.Flow;

public sealed class OrderFlowTests(OrderClusterFixture fixture) : IClassFixture<OrderClusterFixture>
{
    private ShopTestCluster Cluster => fixture.Cluster;

    internal static async Task<List<OrderEventResponse>> EventsOfAsync(ShopTestCluster cluster, string orderNo)
    {
        var admin = OrderEventsClient(cluster);
        var all = new List<OrderEventResponse>();
        long after = 0;
        while (true)
        {
            var page = await admin.GetOrderEventsAsync(after, 500);
            all.AddRange(page.Events.Where(e => e.OrderNo == orderNo));
            if (page.Events.Count == 0)
            {
                return all;
            }

            after = page.Next;
        }
    }

    private static IOrderEventsApi OrderEventsClient(ShopTestCluster cluster) =>
        Refit.RestService.For<IOrderEventsApi>(cluster.CreateClient(TestTokens.Admin()),
            new Refit.RefitSettings(new Refit.SystemTextJsonContentSerializer(ShopJson.CreateOptions())));

    [Fact]
    public async Task Create_pay_ship_confirm_moves_stock_from_reserved_to_sold_and_publishes_events_in_order()
    {
        var a = await Cluster.ProductAsync(10, price: 1_250);
        var b = await Cluster.ProductAsync(5, price: 300);
        var customer = Cluster.Orders(TestTokens.Customer("happy"));

        var order = await customer.CreateAsync(Request((a.Id, 2), (b.Id, 1), (a.Id, 1)));

        Assert.Equal(OrderStatuses.PendingPayment, order.Status);
        Assert.Equal(28, order.OrderNo.Length);
        var lineA = Assert.Single(order.Lines, l => l.ProductId == a.Id);
        Assert.Equal((a.Name, 1_250L, 3), (lineA.Name, lineA.UnitPriceFen, lineA.Quantity));
        Assert.Equal(3 * 1_250 + 300, order.TotalFen);
        Assert.Equal(Phone, order.ShippingAddress.Phone);
        Assert.Equal((7L, 3L, 0L), Levels(await Cluster.StockAsync(a.Id)));

        var paid = await Cluster.Grains.GetGrain<IOrderGrain>(order.OrderNo).MarkPaidAsync(new PaymentReceipt("4200001", order.TotalFen, DateTimeOffset.UtcNow));
        Assert.Equal(OrderStatus.Paid, paid.Order!.Status);
        var again = await Cluster.Grains.GetGrain<IOrderGrain>(order.OrderNo).MarkPaidAsync(new PaymentReceipt("4200001", order.TotalFen, DateTimeOffset.UtcNow));
        Assert.Equal(paid.Order.History.Count, again.Order!.History.Count);
        Assert.Equal((7L, 0L, 3L), Levels(await Cluster.StockAsync(a.Id)));
        Assert.Equal((4L, 0L, 1L), Levels(await Cluster.StockAsync(b.Id)));

        var admin = Cluster.Orders(TestTokens.Admin());
        var shipped = Ok(await admin.ShipOrderAsync(order.OrderNo, new ShipOrderRequest("SF", "SF123")));
        Assert.Equal(OrderStatuses.Shipped, shipped.Status);
        var done = Ok(await customer.ConfirmReceiptAsync(order.OrderNo));
        Assert.Equal(OrderStatuses.Completed, done.Status);
        Assert.Equal(["Pay", "Ship", "ConfirmReceipt"], done.History.Select(h => h.Trigger));
        Assert.Contains("admin:admin-1", done.History.Select(h => h.Actor));

        var events = await Poll.UntilAsync(() => EventsOfAsync(Cluster, order.OrderNo), e => e.Count >= 4, what: "four events");
        Assert.Equal(["OrderCreated", "OrderPaid", "OrderShipped", "OrderCompleted"], events.Select(e => e.Type));
        Assert.DoesNotContain(events, e => e.Payload.GetRawText().Contains(Phone));

        var mine = Ok(await customer.ListOrdersAsync());
        Assert.Equal(order.OrderNo, Assert.Single(mine.Items).OrderNo);
        Assert.Equal(OrderStatuses.Completed, mine.Items[0].Status);
        var all = Ok(await admin.ListAllOrdersAsync(status: OrderStatuses.Completed));
        Assert.Contains(all.Items, i => i.OrderNo == order.OrderNo);
    }

    [Fact]
    public async Task Every_illegal_transition_is_409_and_changes_nothing_and_cancel_releases_stock_once()
    {
        var p = await Cluster.ProductAsync(10);
        var customer = Cluster.Orders(TestTokens.Customer("illegal"));
        var admin = Cluster.Orders(TestTokens.Admin());
        var order = await customer.CreateAsync(Request((p.Id, 4)));

        Problem(await admin.ShipOrderAsync(order.OrderNo, new ShipOrderRequest("SF", "1")), HttpStatusCode.Conflict, ShopErrorCodes.InvalidStateTransition);
        Problem(await customer.ConfirmReceiptAsync(order.OrderNo), HttpStatusCode.Conflict, ShopErrorCodes.InvalidStateTransition);
        Assert.Equal(OrderStatuses.PendingPayment, Ok(await customer.GetOrderAsync(order.OrderNo)).Status);

        var cancelled = Ok(await customer.CancelOrderAsync(order.OrderNo));
        Assert.Equal(OrderStatuses.Cancelled, cancelled.Status);
        Assert.Equal((10L, 0L, 0L), Levels(await Cluster.StockAsync(p.Id)));

        Problem(await customer.CancelOrderAsync(order.OrderNo), HttpStatusCode.Conflict, ShopErrorCodes.InvalidStateTransition);
        Problem(await admin.ShipOrderAsync(order.OrderNo, new ShipOrderRequest("SF", "1")), HttpStatusCode.Conflict, ShopErrorCodes.InvalidStateTransition);
        Problem(await customer.ConfirmReceiptAsync(order.OrderNo), HttpStatusCode.Conflict, ShopErrorCodes.InvalidStateTransition);
        var after = Ok(await customer.GetOrderAsync(order.OrderNo));
        Assert.Equal((OrderStatuses.Cancelled, cancelled.History.Count, cancelled.UpdatedAt), (after.Status, after.History.Count, after.UpdatedAt));
        Assert.Equal((10L, 0L, 0L), Levels(await Cluster.StockAsync(p.Id)));

        // Paid after cancel: kept and flagged for refund, never dropped; the status stays Cancelled, no stock sold.
        var late = await Cluster.Grains.GetGrain<IOrderGrain>(order.OrderNo).MarkPaidAsync(new PaymentReceipt("late-1", order.TotalFen, DateTimeOffset.UtcNow));
        Assert.Equal(OrderStatus.Cancelled, late.Order!.Status);
        Assert.True(Assert.Single(late.Order.Payments).NeedsRefund);
        Assert.Equal((10L, 0L, 0L), Levels(await Cluster.StockAsync(p.Id)));
        await Poll.UntilAsync(() => EventsOfAsync(Cluster, order.OrderNo), e => e.Any(x => x.Type == "OrderPaymentNeedsRefund"), what: "refund alert");
    }

    [Fact]
    public async Task An_order_with_one_short_sku_reserves_nothing()
    {
        var plenty = await Cluster.ProductAsync(10);
        var scarce = await Cluster.ProductAsync(1);
        var customer = Cluster.Orders(TestTokens.Customer("short"));

        var response = await customer.CreateOrderAsync(Request((plenty.Id, 3), (scarce.Id, 2)), NewKey());

        var problem = Problem(response, HttpStatusCode.Conflict, ShopErrorCodes.OutOfStock);
        Assert.Contains(scarce.Id, problem.Detail);
        Assert.Contains("1 available", problem.Detail);
        Assert.Equal((10L, 0L, 0L), Levels(await Cluster.StockAsync(plenty.Id)));
        Assert.Equal((1L, 0L, 0L), Levels(await Cluster.StockAsync(scarce.Id)));
        Assert.Empty(Ok(await customer.ListOrdersAsync()).Items);

        var offShelf = Problem(await customer.CreateOrderAsync(Request((plenty.Id, 1), ("p_AAAAAAAAAAAAAAAAAAAAAA", 1)), NewKey()),
            HttpStatusCode.Conflict, ShopErrorCodes.ProductUnavailable);
        Assert.Contains("p_AAAAAAAAAAAAAAAAAAAAAA", offShelf.Detail);
    }

    [Fact]
    public async Task Another_customers_order_is_404_on_every_route()
    {
        var p = await Cluster.ProductAsync(10);
        var owner = Cluster.Orders(TestTokens.Customer("owner"));
        var stranger = Cluster.Orders(TestTokens.Customer("stranger"));
        var order = await owner.CreateAsync(Request((p.Id, 1)));

        Problem(await stranger.GetOrderAsync(order.OrderNo), HttpStatusCode.NotFound, ShopErrorCodes.OrderNotFound);
        Problem(await stranger.CancelOrderAsync(order.OrderNo), HttpStatusCode.NotFound, ShopErrorCodes.OrderNotFound);
        Problem(await stranger.ConfirmReceiptAsync(order.OrderNo), HttpStatusCode.NotFound, ShopErrorCodes.OrderNotFound);
        Assert.Empty(Ok(await stranger.ListOrdersAsync()).Items);
        Problem(await stranger.GetOrderAsync("not-an-order"), HttpStatusCode.NotFound, ShopErrorCodes.OrderNotFound);
        Assert.Equal(OrderStatuses.PendingPayment, Ok(await owner.GetOrderAsync(order.OrderNo)).Status);
        Assert.Equal(Phone, Ok(await Cluster.Orders(TestTokens.Admin()).GetOrderAsync(order.OrderNo)).ShippingAddress.Phone);
    }

    [Fact]
    public async Task Bad_requests_are_400_with_field_errors()
    {
        var customer = Cluster.Orders(TestTokens.Customer("bad"));
        var p = await Cluster.ProductAsync(10);
        Problem(await customer.CreateOrderAsync(Request((p.Id, 1)), null), HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
        var bad = Request((p.Id, 1000)) with { ShippingAddress = new ShippingAddressRequest("x", "12345", "a", "b", "c", "d") };
        var problem = Problem(await customer.CreateOrderAsync(bad, NewKey()), HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
        Assert.Contains("items[0].quantity", problem.Errors.Keys);
        Assert.Contains("shippingAddress.phone", problem.Errors.Keys);
        Problem(await customer.CreateOrderAsync(Request(), NewKey()), HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
    }

    internal static (long Available, long Reserved, long Sold) Levels(Grains.Interfaces.Inventory.StockLevels l) => (l.Available, l.Reserved, l.Sold);
}
