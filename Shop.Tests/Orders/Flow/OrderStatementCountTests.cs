using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using Shop.Tests.Infrastructure;
using Xunit.Abstractions;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Orders.Flow;

/// <summary>
/// PostgreSQL CPU bounds order creation, so the statements one order costs are a design property, checked here by
/// tracing every command the silo sends to this test's database (Npgsql's ActivitySource) while orders are created
/// one after another (so nothing is shared between orders: group commits hold one order each).
/// </summary>
public sealed class OrderStatementCountTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Creating_an_order_costs_one_insert_of_the_order_two_idempotency_writes_and_no_reads_or_reminders()
    {
        await using var cluster = await ShopTestCluster.StartAsync();
        var p = await cluster.ProductAsync(1_000);
        var customer = cluster.Orders(TestTokens.Customer("count"));
        await customer.CreateAsync(Request((p.Id, 1)));
        var database = new NpgsqlConnectionStringBuilder(cluster.ConnectionString).Database;
        var statements = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("db.name") ?? activity.GetTagItem("db.namespace"), database)
                    && (activity.GetTagItem("db.statement") ?? activity.GetTagItem("db.query.text")) is string sql)
                {
                    statements.Enqueue(sql);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        const int orders = 20;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < orders; i++)
        {
            await customer.CreateAsync(Request((p.Id, 1)));
        }

        var elapsed = clock.Elapsed;

        var seen = statements.ToArray();
        int Count(string pattern) => seen.Count(s => s.Contains(pattern, StringComparison.OrdinalIgnoreCase));
        foreach (var group in seen.GroupBy(s => s.Split('\n')[0].Trim()).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"{group.Count(),4} × {group.Key}");
        }

        Assert.Equal(orders, Count("INSERT INTO orders "));
        Assert.Equal(0, Count("FROM orders WHERE order_no"));
        Assert.Equal(0, Count("UPDATE orders"));
        Assert.Equal(orders, Count("INSERT INTO order_idempotency"));
        Assert.Equal(orders, Count("UPDATE order_idempotency"));
        Assert.Equal(0, Count("FROM order_idempotency WHERE grain_key"));
        Assert.Equal(0, Count("reminder"));
        Assert.Equal(0, Count("orleansstorage"));
        Assert.InRange(Count("INSERT INTO order_events"), 1, orders);

        // The storefront list's stock column is written at most once a second per SKU, not once per order.
        Assert.InRange(Count("UPDATE catalog_products"), 0, (int)elapsed.TotalSeconds + 2);
        Assert.True(elapsed < TimeSpan.FromSeconds(orders - 3), $"{orders} orders took {elapsed}: too slow to tell the projection's pace");
    }
}
