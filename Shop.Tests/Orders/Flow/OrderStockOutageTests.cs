using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.Client;
using Shop.Grains.Inventory;
using Shop.Tests.Infrastructure;
using Shop.Tests.Inventory;

namespace Shop.Tests.Orders.Flow;

public sealed class OrderStockOutageTests
{
    [Fact]
    public async Task When_stock_cannot_be_stored_creating_an_order_is_503_and_the_same_request_succeeds_later()
    {
        FaultInjectingInventoryStore? store = null;
        await using var cluster = await ShopTestCluster.StartAsync(configure: c => c.ConfigureSiloServices = services =>
            services.AddSingleton<IInventoryStore>(store = new FaultInjectingInventoryStore(new PostgresInventoryStore(c.ConnectionString!))));
        var product = await cluster.ProductAsync(stock: 10);
        var orders = cluster.Orders(TestTokens.Customer("outage-customer"));
        var request = OrderTestSupport.Request((product.Id, 2));
        var key = OrderTestSupport.NewKey();

        store!.Inject(product.Id, TimeSpan.Zero, fail: true);
        var refused = await orders.CreateOrderAsync(request, key);
        var problem = OrderTestSupport.Problem(refused, HttpStatusCode.ServiceUnavailable, ShopErrorCodes.ServiceUnavailable);
        Assert.NotNull(problem.TraceId);
        Assert.Equal(10, (await cluster.StockAsync(product.Id)).Available);

        store.Clear(product.Id);
        var created = OrderTestSupport.Ok(await orders.CreateOrderAsync(request, key), HttpStatusCode.Created);
        Assert.Equal(8, (await cluster.StockAsync(product.Id)).Available);
        Assert.Equal(2, created.Lines.Single().Quantity);
    }
}
