using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Xunit.Abstractions;
using static Shop.Tests.Campaigns.CampaignTestSupport;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Orders.Flow;

/// <summary>
/// PostgreSQL CPU bounds order creation, so the statements one order costs are a design property, checked here by
/// tracing every command the silo sends to this test's database (Npgsql's ActivitySource) while orders are created
/// one after another (so nothing is shared between orders: group commits hold one order each).
/// </summary>
public sealed class OrderStatementCountTests(ITestOutputHelper output)
{
    /// <remarks>
    /// With <paramref name="campaign"/>, every order buys from a running campaign with a per-customer limit: the
    /// allotment and limit checks ride on the reservation (no statement of their own), and so does the hoarding check.
    /// </remarks>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Creating_an_order_costs_one_insert_of_the_order_with_its_events_two_idempotency_writes_and_no_reads_or_reminders(bool campaign)
    {
        await using var cluster = await ShopTestCluster.StartAsync();
        var p = await cluster.ProductAsync(1_000);
        var customer = cluster.Orders(TestTokens.Customer("count"));
        var campaignId = campaign
            ? (await cluster.CreateCampaignAsync(Campaign(p.Id, DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddHours(1), allotment: 500, limit: 100))).Id
            : null;
        CreateOrderRequest Order() => campaignId is null ? Request((p.Id, 1)) : CampaignOrder(p.Id, campaignId);
        await customer.CreateAsync(Order());
        var statements = new ConcurrentQueue<string>();
        using var listener = Listen(cluster, statements);

        const int orders = 20;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < orders; i++)
        {
            Assert.Equal(campaignId, (await customer.CreateAsync(Order())).Lines[0].CampaignId);
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
        // The OrderCreated event goes into the log in the order's own insert: no statement (and no commit) of its own.
        Assert.Equal(orders, seen.Count(s => s.Contains("INSERT INTO orders ", StringComparison.Ordinal) && s.Contains("INSERT INTO order_events", StringComparison.Ordinal)));
        Assert.Equal(0, seen.Count(s => !s.Contains("INSERT INTO orders ", StringComparison.Ordinal)
            && (s.Contains("order_events", StringComparison.Ordinal) || s.Contains("pg_advisory_xact_lock", StringComparison.Ordinal))));

        // The storefront list's stock column is written at most once a second per SKU, not once per order.
        Assert.InRange(Count("UPDATE catalog_products"), 0, (int)elapsed.TotalSeconds + 2);
        Assert.True(elapsed < TimeSpan.FromSeconds(orders - 3), $"{orders} orders took {elapsed}: too slow to tell the projection's pace");
    }

    [Fact]
    public async Task Orders_created_at_the_same_moment_share_their_statements()
    {
        await using var cluster = await ShopTestCluster.StartAsync();
        var products = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            products.Add((await cluster.ProductAsync(1_000)).Id);
        }

        const int callers = 64;
        var customers = Enumerable.Range(0, callers).Select(c => cluster.Orders(TestTokens.Customer($"burst-{c}"))).ToArray();
        await Task.WhenAll(customers.Select((c, k) => c.CreateAsync(Request((products[k % 8], 1)))));
        var statements = new ConcurrentQueue<string>();
        using var listener = Listen(cluster, statements);

        const int rounds = 3;
        for (var round = 0; round < rounds; round++)
        {
            await Task.WhenAll(customers.Select((c, k) => c.CreateAsync(Request((products[(k + round) % 8], 1)))));
        }

        var seen = statements.ToArray();
        const int orders = callers * rounds;
        var perOrder = (double)seen.Length / orders;
        output.WriteLine($"{seen.Length} statements for {orders} orders: {perOrder:F2} per order; {seen.Count(s => s.Contains("INSERT INTO orders ", StringComparison.Ordinal))} order inserts");

        // One at a time an order costs four (idempotency insert and answer, the order's insert with its events, stock log);
        // together they must share: this fails if any of the group commits goes back to a statement per order.
        Assert.InRange(perOrder, 0, 1.75);
        Assert.InRange(seen.Count(s => s.Contains("INSERT INTO orders ", StringComparison.Ordinal)), 1, orders * 3 / 4);
        Assert.InRange(seen.Count(s => s.Contains("INSERT INTO order_idempotency", StringComparison.Ordinal)), 1, orders * 3 / 4);
        // The stock log shares less reliably: a SKU's reservations already arrive coalesced (one grain write for many
        // orders), and whether two SKUs' writes meet in one flush depends on timing (a clean CI run saw 178 for 192).
        Assert.InRange(seen.Count(s => s.Contains("INSERT INTO inventory_log", StringComparison.Ordinal)), 1, orders);
    }

    /// <summary>Every command the silo sends to this test's database (Npgsql's ActivitySource), by its text.</summary>
    private static ActivityListener Listen(ShopTestCluster cluster, ConcurrentQueue<string> statements)
    {
        var database = new NpgsqlConnectionStringBuilder(cluster.ConnectionString).Database;
        var listener = new ActivityListener
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
        return listener;
    }
}
