using System.Net;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Interfaces.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;

namespace Shop.Benchmarks;

/// <summary>Reserving stock (grain calls from an in-process client) and creating orders (HTTP through the API).</summary>
public static class HotPathBenchmarks
{
    /// <summary>One hot SKU, as in a flash sale: every caller reserves one unit under a new reservation id.</summary>
    public static async Task<List<LoadResult>> ReserveStockAsync(BenchmarkOptions options)
    {
        await using var cluster = await ShopTestCluster.StartAsync(silos: options.Silos);
        var product = await cluster.ProductAsync(1_000_000);
        var sku = cluster.Grains.GetGrain<IInventoryGrain>(product.Id);
        var until = DateTimeOffset.UtcNow.AddHours(1);

        async Task Reserve(string id)
        {
            var result = await sku.ReserveAsync(id, 1, until);
            if (result.Status != ReserveStatus.Reserved)
            {
                throw new InvalidOperationException($"reserve answered {result.Status}");
            }
        }

        await LoadRunner.RunAsync("warm-up", options.Callers, 500, i => Reserve($"w{i}"));
        using var statements = new StatementCounter(cluster.ConnectionString!);
        var run = await LoadRunner.RunAsync("reserve stock (1 hot SKU)", options.Callers, options.Operations * 4, i => Reserve($"r{i}"));
        var levels = (await sku.GetAsync()).Levels;
        Console.WriteLine($"  SQL statements per reservation: {(double)statements.Count / run.Operations:N3}; reserved now {levels.Reserved:N0}");
        return [run];
    }

    /// <summary>POST /api/orders with an Idempotency-Key, one unit of one of ten products, each caller its own customer.</summary>
    public static async Task<List<LoadResult>> CreateOrderAsync(BenchmarkOptions options)
    {
        await using var cluster = await ShopTestCluster.StartAsync(silos: options.Silos);
        var products = await TenProductsAsync(cluster);

        var clients = Enumerable.Range(0, options.Callers).Select(k => cluster.Orders(TestTokens.Customer($"bench-{k}"))).ToArray();

        async Task Create(int i)
        {
            var response = await clients[i % clients.Length].CreateOrderAsync(OrderTestSupport.Request((products[i % products.Count], 1)), Guid.NewGuid().ToString());
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"create answered {response.StatusCode}");
            }
        }

        await LoadRunner.RunAsync("warm-up", options.Callers, 500, Create);
        using var statements = new StatementCounter(cluster.ConnectionString!);
        var run = await LoadRunner.RunAsync("create order (HTTP)", options.Callers, options.Operations, Create);
        Console.WriteLine($"  SQL statements per order: {(double)statements.Count / run.Operations:N2}{Environment.NewLine}{statements.Breakdown(run.Operations)}");
        return [run];
    }

    /// <summary>
    /// The same order creation without HTTP: the idempotency grain and the order grain called from an in-process client,
    /// so the difference to <see cref="CreateOrderAsync"/> is what the API layer (HTTP, JWT, JSON) costs.
    /// </summary>
    public static async Task<List<LoadResult>> CreateOrderInClusterAsync(BenchmarkOptions options)
    {
        await using var cluster = await ShopTestCluster.StartAsync(silos: options.Silos);
        var products = await TenProductsAsync(cluster);

        var shipping = new ShippingAddress("张三", OrderTestSupport.Phone, "浙江省", "杭州市", "西湖区", "文三路 100 号");
        var answer = new IdempotentResponse(201, """{"orderNo":"benchmark"}""");

        async Task Create(int i)
        {
            var user = $"bench-{i % options.Callers}";
            var hash = $"h{i}";
            var idempotency = cluster.Grains.GetGrain<IIdempotencyGrain>(IdempotencyKeys.GrainKey(user, Guid.NewGuid().ToString()));
            var (_, outcome) = await idempotency.CreateOrderAsync(hash, new CreateOrderCommand(user, [new OrderItem(products[i % products.Count], 1)], shipping, null));
            if (outcome?.Status != OrderOutcomeStatus.Ok)
            {
                throw new InvalidOperationException($"create answered {outcome?.Status}");
            }

            await idempotency.CompleteAsync(hash, answer);
        }

        await LoadRunner.RunAsync("warm-up", options.Callers, 500, Create);
        using var statements = new StatementCounter(cluster.ConnectionString!);
        var run = await LoadRunner.RunAsync("create order (grains, no HTTP)", options.Callers, options.Operations, Create);
        Console.WriteLine($"  SQL statements per order: {(double)statements.Count / run.Operations:N2}");
        return [run];
    }

    private static async Task<List<string>> TenProductsAsync(ShopTestCluster cluster)
    {
        var products = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            products.Add((await cluster.ProductAsync(1_000_000)).Id);
        }

        return products;
    }
}
