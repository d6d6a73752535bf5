using System.Net;
using Npgsql;
using Refit;
using Shop.Client;
using Shop.Client.Catalog;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;

namespace Shop.Tests.Clustering;

/// <summary>
/// PostgreSQL stops in the middle of a sale: Npgsql's exceptions cannot cross a grain boundary, so the silo translates
/// them and the API answers 503 <c>STORAGE_UNAVAILABLE</c> with <c>Retry-After</c>, never 500; once PostgreSQL is back
/// the same requests succeed and nothing acknowledged before is missing.
/// </summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task While_postgres_is_down_requests_answer_503_with_retry_after_and_acknowledged_orders_survive()
    {
        await using var server = await PostgresServer.StartNewAsync();
        var connectionString = await server.CreateDatabaseAsync("outage");
        await using var cluster = await ShopTestCluster.StartAsync(connectionString: connectionString);
        var product = await cluster.ProductAsync(stock: 1_000);
        var orders = cluster.Orders(TestTokens.Customer("outage-shopper"));
        var acknowledged = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            acknowledged.Add((await orders.CreateAsync(OrderTestSupport.Request((product.Id, 1)))).OrderNo);
        }

        await server.StopAsync();

        var request = OrderTestSupport.Request((product.Id, 2));
        var key = OrderTestSupport.NewKey();
        var refused = await orders.CreateOrderAsync(request, key);
        AssertUnavailable(refused);
        AssertUnavailable(await orders.ListOrdersAsync());
        var storefront = CatalogApiClient.Create(cluster.CreateClient());
        AssertUnavailable(await storefront.ListProductsAsync());
        // An order no activation holds: its grain must read PostgreSQL while activating.
        var notActive = acknowledged[0][..^1] + (acknowledged[0][^1] == '0' ? '1' : '0');
        AssertUnavailable(await orders.GetOrderAsync(notActive));

        await server.StartAsync();

        // Pooled connections broken by the restart fail once each; the same request then goes through.
        var created = await Poll.UntilAsync(() => orders.CreateOrderAsync(request, key), r => r.StatusCode != HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(30), "the order to be accepted once PostgreSQL is back");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        acknowledged.Add(created.Content!.OrderNo);
        Assert.Equal(acknowledged.Order(), (await OrderNumbersInTableAsync(connectionString)).Order());
        foreach (var orderNo in acknowledged)
        {
            Assert.Equal(HttpStatusCode.OK, (await orders.GetOrderAsync(orderNo)).StatusCode);
        }
    }

    private static void AssertUnavailable<T>(IApiResponse<T> response)
    {
        var problem = OrderTestSupport.Problem(response, HttpStatusCode.ServiceUnavailable, ShopErrorCodes.StorageUnavailable);
        Assert.NotNull(problem.TraceId);
        Assert.NotNull(response.Headers?.RetryAfter);
    }

    private static async Task<List<string>> OrderNumbersInTableAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT order_no FROM orders", connection);
        var numbers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            numbers.Add(reader.GetString(0));
        }

        return numbers;
    }
}
