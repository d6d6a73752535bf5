using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Orleans.Hosting;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Inventory;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Inventory;

public sealed class InventoryExpiryTests(InventoryCluster inventory) : IClassFixture<InventoryCluster>
{
    [Fact]
    public async Task An_expired_reservation_returns_to_available_and_a_later_release_does_not_count_it_twice()
    {
        var sku = await inventory.NewSkuAsync(10);
        await sku.ReserveAsync("short", 4, DateTimeOffset.UtcNow.AddMilliseconds(300));
        await sku.ReserveAsync("long", 2, DateTimeOffset.UtcNow.AddHours(1));

        // GetAsync only reads: the grain's own timer does the releasing.
        var stock = await Poll.UntilAsync(sku.GetAsync, s => s.Reservations.Count == 1, what: "the short reservation to expire");
        Assert.Equal("long", stock.Reservations[0].OrderId);
        Assert.Equal(new StockLevels(10, 8, 2, 0), stock.Levels);

        Assert.Equal(new ReleaseResult(ReleaseStatus.Released, 4, ReleaseReason.Expired), await sku.ReleaseAsync("short"));
        Assert.Equal(new ConfirmResult(ConfirmStatus.Released, 4, ReleaseReason.Expired), await sku.ConfirmAsync("short"));
        Assert.Equal(new StockLevels(10, 8, 2, 0), (await sku.GetAsync()).Levels);
    }

    [Fact]
    public async Task Expiry_follows_the_grains_clock_and_happens_on_activation_after_a_restart()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await ShopTestCluster.StartAsync(withApi: false, configure: c => c.ConfigureSiloServices = s =>
        {
            s.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, clock);
            // The reminder runs on real time, not this clock: the grain's timer must cover these expiries from the start.
            s.Configure<InventoryOptions>(o => o.ExpiryTimerHorizon = TimeSpan.FromHours(1));
        });
        var id = ProductId.New();
        var sku = cluster.Grains.GetGrain<IInventoryGrain>(id);
        await sku.AdjustAsync(10, "initial stock", "tests");
        await sku.ReserveAsync("ten-minutes", 3, clock.GetUtcNow().AddMinutes(10));
        await sku.ReserveAsync("thirty-minutes", 5, clock.GetUtcNow().AddMinutes(30));

        clock.Advance(TimeSpan.FromMinutes(11));
        var stock = await Poll.UntilAsync(sku.GetAsync, s => s.Reservations.Count == 1, what: "the grain timer to expire one reservation");
        Assert.Equal("thirty-minutes", stock.Reservations[0].OrderId);
        Assert.Equal(new StockLevels(10, 5, 5, 0), stock.Levels);

        // The second reservation runs out while no silo is up: the next activation releases it before answering.
        await cluster.StopAsync();
        clock.Advance(TimeSpan.FromMinutes(20));
        await cluster.StartSiloAsync();
        sku = cluster.Grains.GetGrain<IInventoryGrain>(id);
        stock = await sku.GetAsync();
        Assert.Empty(stock.Reservations);
        Assert.Equal(new StockLevels(10, 10, 0, 0), stock.Levels);
        Assert.Equal(new ReleaseResult(ReleaseStatus.Released, 5, ReleaseReason.Expired), await sku.ReleaseAsync("thirty-minutes"));
        Assert.Equal(new StockLevels(10, 10, 0, 0), (await sku.GetAsync()).Levels);

        // Outcomes are remembered for a bounded time (7 days), not forever.
        clock.Advance(TimeSpan.FromDays(8));
        await sku.AdjustAsync(1, "restock", "tests");
        Assert.Equal(new ReleaseResult(ReleaseStatus.NotReserved, 0, null), await sku.ReleaseAsync("thirty-minutes"));
        Assert.Equal(new StockLevels(11, 11, 0, 0), (await sku.GetAsync()).Levels);
    }

    [Fact]
    public async Task A_reminder_wakes_a_deactivated_grain_to_release_what_expired()
    {
        await using var cluster = await ClusterWithExpiryRemindersAsync(TimeSpan.FromSeconds(2));
        var (id, sku) = await StockedSkuAsync(cluster);
        await sku.ReserveAsync("order-1", 7, DateTimeOffset.UtcNow.AddMilliseconds(500));

        // Nobody calls the grain again: its activation (and timer) is gone; only the stored reminder can act.
        await cluster.Grains.GetGrain<IManagementGrain>(0).DeactivateGrain(sku.GetGrainId());
        await Poll.UntilAsync(() => ExpiredEventsAsync(cluster.ConnectionString!, id), n => n == 1, TimeSpan.FromSeconds(60),
            "the reminder to release the reservation");

        Assert.Equal(new StockLevels(10, 10, 0, 0), (await sku.GetAsync()).Levels);
    }

    [Fact]
    public async Task A_reservation_beyond_the_timer_horizon_is_released_at_its_time_by_the_timer_its_reminder_arms()
    {
        // The reminder ticks every 6 s from the first reservation; timers only within 12 s of an expiry.
        await using var cluster = await ClusterWithExpiryRemindersAsync(TimeSpan.FromSeconds(6));
        var (id, sku) = await StockedSkuAsync(cluster);
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(15);
        await sku.ReserveAsync("order-1", 3, expiresAt);

        // Due in 15 s, so no timer at first; the tick at 6 s arms one. The reminder alone would release it at its
        // 18 s tick, 3 s late. Only the log is read: no command of ours releases what is due.
        await Poll.UntilAsync(() => ExpiredEventsAsync(cluster.ConnectionString!, id), n => n == 1, TimeSpan.FromSeconds(60),
            "the timer to release the reservation");
        var releasedAt = await ExpiredAtAsync(cluster.ConnectionString!, id);
        Assert.InRange(releasedAt - expiresAt, TimeSpan.Zero, TimeSpan.FromMilliseconds(1500));
        Assert.Equal(new StockLevels(10, 10, 0, 0), (await sku.GetAsync()).Levels);
    }

    /// <summary>A cluster whose SKUs keep their expiry reminder every <paramref name="period"/>.</summary>
    private static Task<ShopTestCluster> ClusterWithExpiryRemindersAsync(TimeSpan period) =>
        ShopTestCluster.StartAsync(withApi: false, configure: c => c.ConfigureSiloServices = s =>
        {
            s.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            s.Configure<InventoryOptions>(o => o.ReminderPeriod = period);
        });

    private static async Task<(string Id, IInventoryGrain Sku)> StockedSkuAsync(ShopTestCluster cluster)
    {
        var id = ProductId.New();
        var sku = cluster.Grains.GetGrain<IInventoryGrain>(id);
        await sku.AdjustAsync(10, "initial stock", "tests");
        return (id, sku);
    }

    private static async Task<DateTimeOffset> ExpiredAtAsync(string connectionString, string sku)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """SELECT e->>'at' FROM inventory_log, jsonb_array_elements(events) e WHERE sku = $1 AND e @> '{"type":"released","reason":"expired"}'""",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        return DateTimeOffset.Parse((string)(await command.ExecuteScalarAsync())!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> ExpiredEventsAsync(string connectionString, string sku)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """SELECT count(*) FROM inventory_log, jsonb_array_elements(events) e WHERE sku = $1 AND e @> '{"type":"released","reason":"expired"}'""",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
