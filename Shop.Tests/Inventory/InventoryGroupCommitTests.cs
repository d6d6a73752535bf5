using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Inventory;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Inventory;

public sealed class InventoryGroupCommitTests(InventoryCluster inventory) : IClassFixture<InventoryCluster>
{
    private static readonly DateTimeOffset InAnHour = DateTimeOffset.UtcNow.AddHours(1);

    [Fact]
    public async Task Concurrent_reservations_share_slow_writes_and_each_is_answered_after_its_write()
    {
        const int Callers = 200;
        var sku = await inventory.NewSkuAsync(1_000);
        var id = sku.GetPrimaryKeyString();
        var writesBefore = inventory.Store.Appends(id);
        inventory.Store.Inject(id, TimeSpan.FromMilliseconds(500), fail: false);
        try
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i => Task.Run(async () =>
            {
                var orderId = $"{id}-order-{i}";
                var answer = await sku.ReserveAsync(orderId, 1, InAnHour);
                return (answer.Status, StoredWhenAnswered: inventory.Store.IsStored(orderId));
            })));

            Assert.All(answers, a => Assert.Equal((ReserveStatus.Reserved, true), a));
            var writes = inventory.Store.Appends(id) - writesBefore;
            Assert.True(writes * 5 <= Callers, $"{Callers} callers needed {writes} writes");
        }
        finally
        {
            inventory.Store.Clear(id);
        }

        Assert.Equal(new StockLevels(1_000, 800, 200, 0), (await sku.GetAsync()).Levels);
    }

    [Fact]
    public async Task A_failed_write_fails_every_caller_in_it_and_leaves_no_phantom_reservation()
    {
        var sku = await inventory.NewSkuAsync(100);
        var id = sku.GetPrimaryKeyString();
        inventory.Store.Inject(id, TimeSpan.FromMilliseconds(300), fail: true);
        try
        {
            var calls = Enumerable.Range(0, 100).Select(i => Task.Run(() => sku.ReserveAsync($"order-{i}", 1, InAnHour))).ToList();
            foreach (var call in calls)
            {
                await Assert.ThrowsAsync<InventoryUnavailableException>(() => call);
            }
        }
        finally
        {
            inventory.Store.Clear(id);
        }

        var stock = await sku.GetAsync();
        Assert.Empty(stock.Reservations);
        Assert.Equal(new StockLevels(100, 100, 0, 0), stock.Levels);

        // Nothing was decided, so retrying the same order ids simply works.
        Assert.Equal(ReserveStatus.Reserved, (await sku.ReserveAsync("order-7", 1, InAnHour)).Status);
        Assert.Equal(new StockLevels(100, 99, 1, 0), (await sku.GetAsync()).Levels);
    }

    [Fact]
    public async Task A_caller_whose_answer_depended_on_a_failed_write_fails_too()
    {
        var sku = await inventory.NewSkuAsync(1);
        var id = sku.GetPrimaryKeyString();
        var writesBefore = inventory.Store.Appends(id);
        inventory.Store.Inject(id, TimeSpan.FromMilliseconds(500), fail: true);
        Task<ReserveResult> first, second;
        try
        {
            first = sku.ReserveAsync("first", 1, InAnHour);
            await Poll.UntilAsync(() => Task.FromResult(inventory.Store.Appends(id)), n => n > writesBefore, what: "the first write to start");

            // While "first" is being written, the last unit looks taken: "Insufficient" would be a wrong answer if
            // that write fails, so this caller must fail with it instead.
            second = sku.ReserveAsync("second", 1, InAnHour);
            await Assert.ThrowsAsync<InventoryUnavailableException>(() => first);
            await Assert.ThrowsAsync<InventoryUnavailableException>(() => second);
        }
        finally
        {
            inventory.Store.Clear(id);
        }

        Assert.Equal(ReserveStatus.Reserved, (await sku.ReserveAsync("second", 1, InAnHour)).Status);
        Assert.Equal(ReserveStatus.Insufficient, (await sku.ReserveAsync("first", 1, InAnHour)).Status);
    }

    [Fact]
    public async Task When_another_writer_stored_first_the_grain_reloads_instead_of_answering_from_stale_memory()
    {
        var sku = await inventory.NewSkuAsync(10);
        var id = sku.GetPrimaryKeyString();
        await sku.ReserveAsync("order-1", 10, InAnHour);

        // Another activation of the same SKU (e.g. during a silo failure) releases the order and restocks.
        var other = new PostgresInventoryStore(inventory.ConnectionString);
        var version = (await other.LoadAsync(id)).Version;
        await other.AppendAsync(id, version + 1, [
            new ReservationReleased("order-1", ReleaseReason.Cancelled, DateTimeOffset.UtcNow),
            new StockAdjusted(5, "restock elsewhere", "admin-2", DateTimeOffset.UtcNow),
        ]);

        // This activation still believes all 10 units are held; its write is refused and nobody gets that answer.
        await Assert.ThrowsAsync<InventoryUnavailableException>(() => sku.AdjustAsync(1, "restock here", "admin-1"));

        var stock = await Poll.UntilAsync(async () =>
        {
            try { return await sku.GetAsync(); }
            catch (InventoryUnavailableException) { return null; }
        }, s => s is not null, what: "the reloaded stock");
        Assert.Equal(new StockLevels(15, 15, 0, 0), stock!.Levels);
        Assert.Equal(new ReleaseResult(ReleaseStatus.Released, 10, ReleaseReason.Cancelled), await sku.ReleaseAsync("order-1"));
    }
}
