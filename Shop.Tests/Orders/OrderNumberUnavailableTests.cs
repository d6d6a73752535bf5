using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;

namespace Shop.Tests.Orders;

/// <summary>A silo that stops issuing order numbers (it is shutting down) hands the create back for another silo.</summary>
public sealed class OrderNumberUnavailableTests
{
    [Fact]
    public async Task A_create_on_a_stopping_silo_is_refused_as_silo_unavailable_with_nothing_stored()
    {
        await using var cluster = await ShopTestCluster.StartAsync();
        var product = await cluster.ProductAsync(stock: 10);
        cluster.Silos[0].App.Services.GetRequiredService<OrderNumberGenerator>().Close();
        var key = IdempotencyKeys.GrainKey("u_stop", Guid.NewGuid().ToString());
        var command = new CreateOrderCommand("u_stop", [new OrderItem(product.Id, 1)],
            new ShippingAddress("张三", OrderTestSupport.Phone, "浙江省", "杭州市", "西湖区", "文三路 100 号"), null);

        // The API's SiloFailoverRetry sends a request refused this way to another silo (as for a silo that went away).
        var refused = await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            cluster.Grains.GetGrain<IOrderCreationGrain>(0).CreateOrderAsync(key, "hash", command, null));

        Assert.Contains("shutting down", refused.Message);
        Assert.True(Shop.Api.Hosting.SiloFailoverRetry.IsSiloFailure(refused));
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM order_idempotency WHERE grain_key = @key", connection);
        count.Parameters.AddWithValue("key", key);
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        Assert.Equal(0, (await cluster.StockAsync(product.Id)).Reserved);
    }
}
