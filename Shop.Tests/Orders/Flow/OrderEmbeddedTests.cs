using System.Net;
using Orleans.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Orders;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Orders.Flow;

/// <summary>
/// The README's run command starts the embedded mode (memory storage, in-memory reminders, no database): orders must
/// behave there exactly as on PostgreSQL, including idempotency, the due-order sweep and the event log.
/// </summary>
public sealed class OrderEmbeddedTests
{
    [Fact]
    public async Task Orders_work_end_to_end_in_embedded_mode()
    {
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true, configure: c =>
        {
            c.Settings["Orders:PaymentTimeout"] = "00:00:04";
            c.Settings["Orders:ReminderPeriod"] = "00:00:02";
            c.Settings["Orders:DueSweepInterval"] = "00:00:01";
            c.ConfigureSiloServices = s => s.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
        var p = await cluster.ProductAsync(10, price: 500);
        var customer = cluster.Orders(TestTokens.Customer("embedded"));
        var key = NewKey();

        var created = await customer.CreateOrderAsync(Request((p.Id, 2)), key);
        var replay = await customer.CreateOrderAsync(Request((p.Id, 2)), key);
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (created.StatusCode, replay.StatusCode));
        Assert.Equal(created.Content!.OrderNo, replay.Content!.OrderNo);
        Problem(await customer.CreateOrderAsync(Request((p.Id, 3)), key), (HttpStatusCode)422, "IDEMPOTENCY_KEY_REUSED");
        var order = created.Content;
        Assert.Equal((1_000L, "leave at the door"), (order.TotalFen, order.Remark));

        var paid = await cluster.Grains.GetGrain<IOrderGrain>(order.OrderNo).MarkPaidAsync(new PaymentReceipt("4200009", order.TotalFen, DateTimeOffset.UtcNow));
        Assert.Equal(OrderStatus.Paid, paid.Order!.Status);
        Ok(await cluster.Orders(TestTokens.Admin()).ShipOrderAsync(order.OrderNo, new ShipOrderRequest("SF", "SF9")));
        Assert.Equal(OrderStatuses.Completed, Ok(await customer.ConfirmReceiptAsync(order.OrderNo)).Status);

        var unpaid = await customer.CreateAsync(Request((p.Id, 5)));
        Assert.Equal(3L, (await cluster.StockAsync(p.Id)).Available);
        var closed = await Poll.UntilAsync(async () => Ok(await customer.GetOrderAsync(unpaid.OrderNo)), o => o.Status == OrderStatuses.Cancelled,
            what: "timeout in embedded mode");
        Assert.Equal("PaymentTimeout", closed.History[^1].Trigger);
        var levels = await Poll.UntilAsync(() => cluster.StockAsync(p.Id), l => l.Reserved == 0, what: "release");
        Assert.Equal((8L, 2L), (levels.Available, levels.Sold));

        var list = Ok(await customer.ListOrdersAsync());
        Assert.Equal([unpaid.OrderNo, order.OrderNo], list.Items.Select(i => i.OrderNo));
        var events = await Poll.UntilAsync(() => OrderFlowTests.EventsOfAsync(cluster, order.OrderNo), e => e.Count >= 4, what: "events");
        Assert.Equal(["OrderCreated", "OrderPaid", "OrderShipped", "OrderCompleted"], events.Select(e => e.Type));
    }
}
