using Npgsql;
using Shop.Grains.Interfaces.Inventory;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Inventory;

public sealed class InventoryOversellTests(InventoryCluster inventory) : IClassFixture<InventoryCluster>
{
    [Fact]
    public async Task A_thousand_concurrent_reservations_never_oversell_and_stock_is_conserved_across_a_restart()
    {
        const int Stock = 100;
        var sku = await inventory.NewSkuAsync(Stock);
        var expiresAt = DateTimeOffset.UtcNow.AddHours(1);
        var random = new Random(42);
        var requests = Enumerable.Range(0, 1000).Select(i => (OrderId: $"order-{i}", Quantity: random.Next(1, 6))).ToList();

        // Snapshots taken while the load runs must balance too.
        using var stop = new CancellationTokenSource();
        var observer = Task.Run(async () =>
        {
            var seen = 0;
            while (!stop.IsCancellationRequested)
            {
                StockAssert.Conserved(await sku.GetAsync());
                seen++;
            }

            return seen;
        });

        var results = await Task.WhenAll(requests.Select(r => Task.Run(() => sku.ReserveAsync(r.OrderId, r.Quantity, expiresAt))));
        await stop.CancelAsync();
        Assert.True(await observer > 0);

        var answered = requests.Zip(results, (r, a) => (r.OrderId, r.Quantity, Answer: a)).ToList();
        var reserved = answered.Where(a => a.Answer.Status == ReserveStatus.Reserved).ToList();
        var refused = answered.Where(a => a.Answer.Status == ReserveStatus.Insufficient).ToList();
        Assert.Equal(requests.Count, reserved.Count + refused.Count);
        Assert.All(reserved, a => Assert.Equal(a.Quantity, a.Answer.Quantity));

        var final = await sku.GetAsync();
        StockAssert.Conserved(final);
        var reservedUnits = reserved.Sum(a => a.Quantity);
        Assert.True(reservedUnits <= Stock);
        Assert.Equal(reservedUnits, final.Levels.Reserved);
        Assert.Equal(Stock - reservedUnits, final.Levels.Available);
        Assert.Equal(reserved.Select(a => a.OrderId).Order(), final.Reservations.Select(r => r.OrderId).Order());

        // Available only went down, so every refusal was for more than what is left now: the successes filled
        // the stock as far as the request sizes allow, and each refusal reported a count too small for it.
        Assert.All(refused, a => Assert.True(a.Answer.Available < a.Quantity && a.Quantity > final.Levels.Available));

        // Pay for some, cancel some, concurrently; stock still balances, before and after a restart from PostgreSQL.
        var confirms = reserved.Where((_, i) => i % 2 == 0).Select(a => sku.ConfirmAsync(a.OrderId));
        var releases = reserved.Where((_, i) => i % 4 == 1).Select(a => sku.ReleaseAsync(a.OrderId));
        await Task.WhenAll(confirms.Cast<Task>().Concat(releases));
        var beforeRestart = await sku.GetAsync();
        StockAssert.Conserved(beforeRestart);
        Assert.Equal(Stock, beforeRestart.Levels.Total);
        Assert.Equal(reserved.Where((_, i) => i % 2 == 0).Sum(a => a.Quantity), beforeRestart.Levels.Sold);

        await inventory.RestartAsync();
        var afterRestart = await inventory.Sku(sku.GetPrimaryKeyString()).GetAsync();
        StockAssert.Conserved(afterRestart);
        Assert.Equal(beforeRestart.Levels, afterRestart.Levels);
        Assert.Equal(beforeRestart.Reservations, afterRestart.Reservations);
    }

    [Fact]
    public async Task After_thousands_of_changes_a_restart_reads_a_snapshot_plus_the_tail_and_gets_the_same_stock()
    {
        var sku = await inventory.NewSkuAsync(10_000);
        var id = sku.GetPrimaryKeyString();
        var expiresAt = DateTimeOffset.UtcNow.AddHours(1);
        await Task.WhenAll(Enumerable.Range(0, 32).Select(caller => Task.Run(async () =>
        {
            for (var i = caller; i < 3_000; i += 32)
            {
                await sku.ReserveAsync($"order-{i}", 1 + (i % 3), expiresAt);
                if (i % 3 == 0)
                {
                    await sku.ConfirmAsync($"order-{i}");
                }
                else if (i % 5 == 0)
                {
                    await sku.ReleaseAsync($"order-{i}");
                }
            }
        })));
        var before = await sku.GetAsync();
        StockAssert.Conserved(before);

        var snapshotVersion = await Poll.UntilAsync(() => SnapshotVersionAsync(id), v => v > 0, what: "a snapshot to be written");
        Assert.True(snapshotVersion <= await LogVersionAsync(id));

        await inventory.RestartAsync();
        var after = await inventory.Sku(id).GetAsync();
        Assert.Equal(before.Levels, after.Levels);
        Assert.Equal(before.Reservations, after.Reservations);
        Assert.Equal(new ConfirmResult(ConfirmStatus.Confirmed, 1, null), await inventory.Sku(id).ConfirmAsync("order-0"));
    }

    private Task<long> SnapshotVersionAsync(string sku) => ScalarAsync("SELECT coalesce(max(version), 0) FROM inventory_snapshot WHERE sku = $1", sku);

    private Task<long> LogVersionAsync(string sku) => ScalarAsync("SELECT coalesce(max(version), 0) FROM inventory_log WHERE sku = $1", sku);

    private async Task<long> ScalarAsync(string sql, string sku)
    {
        await using var connection = new NpgsqlConnection(inventory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
