using System.Net;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Orders;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Orders.Flow;

/// <summary>
/// A transition whose write fails must not live on in memory: the caller was told it failed, so the order must still
/// show (and act on) what is stored. Its own PostgreSQL server, because the test stops it.
/// </summary>
public sealed class OrderWriteFailureTests
{
    [Fact]
    public async Task A_ship_whose_write_failed_is_not_shown_and_can_be_done_again_once_postgresql_is_back()
    {
        await using var server = await PostgresServer.StartNewAsync();
        await using var cluster = await ShopTestCluster.StartAsync(connectionString: await server.CreateDatabaseAsync("writefail"));
        var p = await cluster.ProductAsync(10);
        var customer = cluster.Orders(TestTokens.Customer("write-fail"));
        var admin = cluster.Orders(TestTokens.Admin());
        var order = await customer.CreateAsync(Request((p.Id, 1)));
        await cluster.Grains.GetGrain<IOrderGrain>(order.OrderNo).MarkPaidAsync(new PaymentReceipt("4200077", order.TotalFen, DateTimeOffset.UtcNow));

        await server.StopAsync();
        var failed = await admin.ShipOrderAsync(order.OrderNo, new ShipOrderRequest("SF", "SF-LOST"));
        Assert.True(failed.StatusCode >= HttpStatusCode.InternalServerError, $"expected a server error while PostgreSQL is down, got {failed.StatusCode}");

        await server.StartAsync();
        var seen = await Poll.UntilAsync(() => customer.GetOrderAsync(order.OrderNo), r => r.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "order readable again");
        Assert.Equal((OrderStatuses.Paid, (ShipmentResponse?)null), (seen.Content!.Status, seen.Content.Shipment));
        var shipped = Ok(await admin.ShipOrderAsync(order.OrderNo, new ShipOrderRequest("SF", "SF-AGAIN")));
        Assert.Equal(("Shipped", "SF-AGAIN"), (shipped.Status, shipped.Shipment!.TrackingNo));
    }
}
