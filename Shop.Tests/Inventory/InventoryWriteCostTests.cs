using System.Diagnostics;
using Shop.Grains.Interfaces.Inventory;
using Xunit.Abstractions;

namespace Shop.Tests.Inventory;

[CollectionDefinition(nameof(InventoryPerformance), DisableParallelization = true)]
public sealed class InventoryPerformance;

/// <summary>Timing tests run alone, so that other tests don't share the two cores with them.</summary>
[Collection(nameof(InventoryPerformance))]
public sealed class InventoryWriteCostTests(InventoryCluster inventory, ITestOutputHelper output) : IClassFixture<InventoryCluster>
{
    private static readonly DateTimeOffset InADay = DateTimeOffset.UtcNow.AddDays(1);

    [Fact]
    public async Task Reserving_with_20000_live_reservations_is_as_fast_as_with_none()
    {
        const int Measured = 2_000;
        const int Callers = 64;
        await ReserveManyAsync(await inventory.NewSkuAsync(1_000_000), 500, Callers, "warm-up");

        var empty = new List<double>();
        var crowded = new List<double>();
        for (var round = 0; round < 2; round++)
        {
            empty.Add(await ReserveManyAsync(await inventory.NewSkuAsync(1_000_000), Measured, Callers, $"empty-{round}"));

            var busy = await inventory.NewSkuAsync(1_000_000);
            await ReserveManyAsync(busy, 20_000, Callers, $"fill-{round}");
            Assert.Equal(20_000, (await busy.GetAsync()).Levels.Reserved);
            crowded.Add(await ReserveManyAsync(busy, Measured, Callers, $"crowded-{round}"));
        }

        output.WriteLine($"reservations/s with 0 live: {string.Join(", ", empty.Select(r => r.ToString("F0")))}; " +
            $"with 20,000 live: {string.Join(", ", crowded.Select(r => r.ToString("F0")))}");
        Assert.True(crowded.Max() * 2 >= empty.Max(), $"best {crowded.Max():F0}/s at 20,000 live vs {empty.Max():F0}/s at 0");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(256)]
    public async Task Hot_sku_throughput(int callers)
    {
        var sku = await inventory.NewSkuAsync(1_000_000);
        var id = sku.GetPrimaryKeyString();
        await ReserveManyAsync(sku, 1_000, callers, "warm-up");
        var writes = inventory.Store.Appends(id);
        var rate = await ReserveManyAsync(sku, 10_000, callers, "measured");
        writes = inventory.Store.Appends(id) - writes;

        output.WriteLine($"{callers} callers, one SKU, PostgreSQL: {rate:F0} reservations/s, {writes} writes for 10,000 reservations");
        var stock = await sku.GetAsync();
        StockAssert.Conserved(stock);
        Assert.Equal(11_000, stock.Levels.Reserved);
    }

    /// <summary>Reserves <paramref name="count"/> single units from <paramref name="callers"/> concurrent loops; returns reservations/s.</summary>
    private async Task<double> ReserveManyAsync(IInventoryGrain sku, int count, int callers, string label)
    {
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var result = await sku.ReserveAsync($"{label}-{i}", 1, InADay);
                Assert.Equal(ReserveStatus.Reserved, result.Status);
            }
        })));
        return count / watch.Elapsed.TotalSeconds;
    }
}
