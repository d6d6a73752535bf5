using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shop.Client;
using Shop.Grains.Interfaces.Orders;
using Shop.Silo.Database;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Orders.Flow;

/// <summary>An Idempotency-Key belongs to one caller, whatever characters the caller's subject and the key hold.</summary>
public sealed class IdempotencyScopeTests(OrderClusterFixture fixture) : IClassFixture<OrderClusterFixture>
{
    private ShopTestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Callers_whose_subject_and_key_join_to_the_same_text_get_their_own_orders()
    {
        var p = await Cluster.ProductAsync(100);
        var alice = Cluster.Orders(TestTokens.Customer("alice"));
        var other = Cluster.Orders(TestTokens.Customer("alice:checkout"));

        var first = Ok(await alice.CreateOrderAsync(Request((p.Id, 1)), "checkout:42"), HttpStatusCode.Created);
        var second = Ok(await other.CreateOrderAsync(Request((p.Id, 2)), "42"), HttpStatusCode.Created);

        Assert.NotEqual(first.OrderNo, second.OrderNo);
        Assert.Equal(2, second.Lines.Single().Quantity);
        Assert.Equal(second.OrderNo, Ok(await other.GetOrderAsync(second.OrderNo)).OrderNo);
        Assert.Equal(first.OrderNo, Ok(await alice.CreateOrderAsync(Request((p.Id, 1)), "checkout:42"), HttpStatusCode.Created).OrderNo);
        Assert.Equal((97L, 3L), ((await Cluster.StockAsync(p.Id)).Available, (await Cluster.StockAsync(p.Id)).Reserved));
    }

    [Fact]
    public async Task Colliding_callers_arriving_together_each_get_201_and_their_own_order()
    {
        var p = await Cluster.ProductAsync(100);
        var key = NewKey();
        var callers = new[] { ("bob", "x:" + key), ("bob:x", key), ("bob:x:" + key[..8], key[9..]) };

        var answers = await Task.WhenAll(callers.SelectMany(c => Enumerable.Range(0, 4).Select(async _ =>
            (c.Item1, Ok(await Cluster.Orders(TestTokens.Customer(c.Item1)).CreateOrderAsync(Request((p.Id, 1)), c.Item2), HttpStatusCode.Created)))));

        var byCaller = answers.GroupBy(a => a.Item1).ToDictionary(g => g.Key, g => g.Select(a => a.Item2.OrderNo).Distinct().ToList());
        Assert.All(byCaller.Values, numbers => Assert.Single(numbers));
        Assert.Equal(3, byCaller.Values.Select(n => n[0]).Distinct().Count());
        foreach (var (caller, numbers) in byCaller)
        {
            Assert.Equal(HttpStatusCode.OK, (await Cluster.Orders(TestTokens.Customer(caller)).GetOrderAsync(numbers[0])).StatusCode);
        }
    }

    [Fact]
    public async Task A_record_stored_under_the_old_caller_colon_key_form_still_returns_its_order_after_the_upgrade()
    {
        // Its own cluster: the grains of the first life must be gone, so the second life reads what the script left.
        var before = await ShopTestCluster.StartAsync();
        var connectionString = before.ConnectionString!;
        var p = await before.ProductAsync(10);
        var customer = before.Orders(TestTokens.Customer("wx:legacy-openid"));
        var key = "legacy:" + NewKey();
        var order = Ok(await customer.CreateOrderAsync(Request((p.Id, 1)), key), HttpStatusCode.Created);
        await before.DisposeAsync();

        // Put the record back as the previous version stored it, with a refused create beside it, and run the script.
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var legacy = new NpgsqlCommand("""
                UPDATE order_idempotency SET grain_key = @legacy WHERE grain_key = @current;
                INSERT INTO order_idempotency (grain_key, request_hash, order_no, created_at, status_code, body)
                    VALUES ('wx:refused:k', 'h', '20260101000000000000000000', now(), 409, 'sealed');
                DELETE FROM shop_schema_migrations WHERE version = 33;
                """, connection);
            legacy.Parameters.AddWithValue("legacy", "wx:legacy-openid:" + key);
            legacy.Parameters.AddWithValue("current", IdempotencyKeys.GrainKey("wx:legacy-openid", key));
            // One record moved back, one refused record added, the script's mark removed.
            Assert.Equal(3, await legacy.ExecuteNonQueryAsync());
        }

        await new SchemaMigrator(connectionString, SchemaMigrator.DefaultScriptDirectory, NullLogger.Instance).MigrateAsync();
        await using var after = await ShopTestCluster.StartAsync(connectionString: connectionString);

        var repeat = await after.Orders(TestTokens.Customer("wx:legacy-openid")).CreateOrderAsync(Request((p.Id, 1)), key);
        Assert.Equal(order.OrderNo, Ok(repeat, HttpStatusCode.Created).OrderNo);
        Assert.Equal(9L, (await after.StockAsync(p.Id)).Available);
        await using var check = new NpgsqlConnection(connectionString);
        await check.OpenAsync();
        await using var keys = new NpgsqlCommand("SELECT grain_key FROM order_idempotency WHERE order_no IN (@no, '20260101000000000000000000') ORDER BY grain_key", check);
        keys.Parameters.AddWithValue("no", order.OrderNo);
        var stored = new List<string>();
        await using (var reader = await keys.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
        }

        Assert.Equal([IdempotencyKeys.GrainKey("wx:legacy-openid", key), "wx:refused:k"], stored);
    }
}
