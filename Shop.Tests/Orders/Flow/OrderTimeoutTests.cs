using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Orders.Flow;

/// <summary>Short payment timeouts, sweep intervals and reminder periods (Orleans' 1-minute minimum lowered for the test).</summary>
public sealed class OrderTimeoutTests
{
    private static Action<ShopTestCluster> Short(FlakyRelay? relay = null) => cluster =>
    {
        cluster.Settings["Orders:PaymentTimeout"] = "00:00:04";
        cluster.Settings["Orders:ReminderPeriod"] = "00:00:02";
        cluster.Settings["Orders:DueSweepInterval"] = "00:00:01";
        cluster.Settings["Orders:ReservationGrace"] = "00:05:00";
        cluster.Settings["Orders:OutboxRetry"] = "00:00:00.500";
        cluster.ConfigureSiloServices = services =>
        {
            services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            if (relay is not null)
            {
                // After the log, where Kafka would be.
                services.AddSingleton<IOrderEventSink>(relay);
            }
        };
    };

    private static async Task<string> StatusInTableAsync(ShopTestCluster cluster, string orderNo)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM orders WHERE order_no = @no", connection);
        command.Parameters.AddWithValue("no", orderNo);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task An_unpaid_order_closes_itself_and_releases_its_stock()
    {
        await using var cluster = await ShopTestCluster.StartAsync(configure: Short());
        var p = await cluster.ProductAsync(10);
        var order = await cluster.Orders(TestTokens.Customer("late")).CreateAsync(Request((p.Id, 3)));

        await Poll.UntilAsync(() => StatusInTableAsync(cluster, order.OrderNo), s => s == "Cancelled", what: "timeout");
        var levels = await Poll.UntilAsync(() => cluster.StockAsync(p.Id), l => l.Reserved == 0, what: "release");
        Assert.Equal(10L, levels.Available);
        var closed = Ok(await cluster.Orders(TestTokens.Customer("late")).GetOrderAsync(order.OrderNo));
        Assert.Equal(("PaymentTimeout", "system"), (closed.History[^1].Trigger, closed.History[^1].Actor));
    }

    [Fact]
    public async Task Orders_due_beyond_the_timer_horizon_are_woken_by_the_sweep_and_still_close_at_their_exact_time()
    {
        // Sweeps every 6 s, so orders hold timers only within 12 s of their time: these, due in 14 s, start without.
        await using var cluster = await ShopTestCluster.StartAsync(configure: cluster =>
        {
            Short()(cluster);
            cluster.Settings["Orders:PaymentTimeout"] = "00:00:14";
            cluster.Settings["Orders:DueSweepInterval"] = "00:00:06";
        });
        var p = await cluster.ProductAsync(10);
        var customer = cluster.Orders(TestTokens.Customer("horizon"));
        var orders = new List<OrderResponse>();
        for (var i = 0; i < 3; i++)
        {
            orders.Add(await customer.CreateAsync(Request((p.Id, 1))));
            await Task.Delay(TimeSpan.FromSeconds(1)); // a different phase against the sweep for each order
        }

        foreach (var order in orders)
        {
            await Poll.UntilAsync(() => StatusInTableAsync(cluster, order.OrderNo), s => s == "Cancelled", what: "timeout");
            var closed = Ok(await customer.GetOrderAsync(order.OrderNo));
            // By the sweep alone each would close up to a whole interval (6 s) late (all three within 1.5 s: 1 in 64);
            // the timer the sweep armed ahead of time hits the time (with room for a busy CI machine).
            Assert.InRange(closed.History[^1].At - closed.ExpiresAt, TimeSpan.Zero, TimeSpan.FromMilliseconds(1500));
        }
    }

    [Fact]
    public async Task The_reminder_closes_the_order_after_every_silo_that_held_it_stopped()
    {
        await using var cluster = await ShopTestCluster.StartAsync(silos: 2, configure: Short());
        var p = await cluster.ProductAsync(10);
        var order = await cluster.Orders(TestTokens.Customer("restart")).CreateAsync(Request((p.Id, 2)));

        await cluster.StopAsync();
        await cluster.StartSiloAsync();

        // Only the inventory and the table are read: nothing but the reminder wakes the order.
        await Poll.UntilAsync(() => StatusInTableAsync(cluster, order.OrderNo), s => s == "Cancelled", TimeSpan.FromSeconds(90), "reminder after restart");
        var levels = await Poll.UntilAsync(() => cluster.StockAsync(p.Id), l => l.Reserved == 0, what: "release");
        Assert.Equal(10L, levels.Available);
    }

    [Fact]
    public async Task The_order_closes_on_the_other_silo_when_only_the_silo_that_held_it_stops()
    {
        await using var cluster = await ShopTestCluster.StartAsync(silos: 2, configure: Short());
        var p = await cluster.ProductAsync(10);
        var order = await cluster.Orders(TestTokens.Customer("one-silo")).CreateAsync(Request((p.Id, 4)));
        var holder = await HolderOfAsync(cluster, order.OrderNo);

        await cluster.Silos.Single(s => s.App.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Equals(holder)).StopAsync();

        Assert.Single(cluster.Silos, s => s.IsRunning);
        await Poll.UntilAsync(() => StatusInTableAsync(cluster, order.OrderNo), s => s == "Cancelled", TimeSpan.FromSeconds(90), "timeout on the surviving silo");
        var levels = await Poll.UntilAsync(() => cluster.StockAsync(p.Id), l => l.Reserved == 0, what: "release");
        Assert.Equal(10L, levels.Available);
        var history = Ok(await cluster.Orders(TestTokens.Customer("one-silo")).GetOrderAsync(order.OrderNo)).History;
        Assert.Single(history, h => h.Trigger == "PaymentTimeout");
    }

    private static async Task<SiloAddress> HolderOfAsync(ShopTestCluster cluster, string orderNo)
    {
        var grainId = cluster.Grains.GetGrain<IOrderGrain>(orderNo).GetGrainId();
        var stats = await cluster.Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return stats.Single(s => s.GrainId == grainId).SiloAddress;
    }

    [Fact]
    public async Task An_event_refused_by_a_relay_is_logged_at_once_and_relayed_exactly_once_after_recovery()
    {
        var relay = new FlakyRelay { Failing = true };
        await using var cluster = await ShopTestCluster.StartAsync(configure: Short(relay));
        var p = await cluster.ProductAsync(10);
        var order = await cluster.Orders(TestTokens.Customer("events")).CreateAsync(Request((p.Id, 1)));

        // The log is written with the order itself: a relay that is down holds nothing back there.
        Assert.Equal(["OrderCreated"], (await OrderFlowTests.EventsOfAsync(cluster, order.OrderNo)).Select(e => e.Type));
        Assert.Empty(relay.Received);

        relay.Failing = false;
        var relayed = await Poll.UntilAsync(() => Task.FromResult(relay.Received.Where(e => e.OrderNo == order.OrderNo).ToList()),
            e => e.Count >= 2, what: "events relayed after recovery");
        Assert.Equal(["OrderCreated", "OrderCancelled"], relayed.Select(e => e.Type));
        Assert.Equal(["OrderCreated", "OrderCancelled"], (await OrderFlowTests.EventsOfAsync(cluster, order.OrderNo)).Select(e => e.Type));
    }

    /// <summary>A sink beyond the log (as Kafka is) that refuses everything while <see cref="Failing"/>.</summary>
    public sealed class FlakyRelay : IOrderEventSink
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<OrderEventEnvelope> _received = new();

        public volatile bool Failing;

        public string Name => "relay (test)";

        public IReadOnlyList<OrderEventEnvelope> Received => [.. _received];

        public Task<IReadOnlyList<string?>> PublishAsync(IReadOnlyList<OrderEventEnvelope> events, CancellationToken cancellationToken)
        {
            if (Failing)
            {
                throw new InvalidOperationException("relay down (test)");
            }

            foreach (var e in events)
            {
                _received.Enqueue(e);
            }

            return Task.FromResult<IReadOnlyList<string?>>(new string?[events.Count]);
        }
    }
}
