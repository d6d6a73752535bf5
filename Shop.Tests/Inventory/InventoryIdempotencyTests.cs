using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Inventory;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Inventory;

public sealed class InventoryIdempotencyTests(InventoryCluster inventory) : IClassFixture<InventoryCluster>
{
    private static readonly DateTimeOffset InAnHour = DateTimeOffset.UtcNow.AddHours(1);

    [Fact]
    public async Task Repeated_and_interleaved_reserves_give_the_first_answer_and_reserve_once()
    {
        var sku = await inventory.NewSkuAsync(10);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => sku.ReserveAsync("order-1", 4, InAnHour))));

        var first = Assert.Single(answers, a => a.Status == ReserveStatus.Reserved);
        Assert.Equal(4, first.Quantity);
        Assert.All(answers.Where(a => a.Status != ReserveStatus.Reserved), a =>
            Assert.Equal(new ReserveResult(ReserveStatus.AlreadyReserved, 4, 6, InAnHour), a));
        var stock = await sku.GetAsync();
        Assert.Equal(new StockLevels(10, 6, 4, 0), stock.Levels);
        Assert.Equal([new ReservationInfo("order-1", 4, InAnHour)], stock.Reservations);

        // A repeat with other arguments still reports what the order holds; it changes nothing.
        Assert.Equal(new ReserveResult(ReserveStatus.AlreadyReserved, 4, 6, InAnHour), await sku.ReserveAsync("order-1", 9, InAnHour.AddDays(1)));
        Assert.Equal(stock.Levels, (await sku.GetAsync()).Levels);
    }

    [Fact]
    public async Task Confirm_repeats_give_the_same_answer_and_sell_once_and_a_confirmed_order_cannot_be_released()
    {
        var sku = await inventory.NewSkuAsync(10);
        await sku.ReserveAsync("order-1", 3, InAnHour);

        var confirms = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => sku.ConfirmAsync("order-1"))));
        Assert.All(confirms, c => Assert.Equal(new ConfirmResult(ConfirmStatus.Confirmed, 3, null), c));
        Assert.Equal(new StockLevels(10, 7, 0, 3), (await sku.GetAsync()).Levels);

        // Interleaved: releases of a paid order are refused, reserves report it as paid, confirms stay the same.
        var mixed = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run<object>(async () => (i % 3) switch
        {
            0 => await sku.ReleaseAsync("order-1"),
            1 => await sku.ReserveAsync("order-1", 3, InAnHour),
            _ => await sku.ConfirmAsync("order-1"),
        })));
        Assert.All(mixed, answer => Assert.Contains(answer, new object[]
        {
            new ReleaseResult(ReleaseStatus.AlreadyConfirmed, 3, null),
            new ReserveResult(ReserveStatus.AlreadyConfirmed, 3, 7, null),
            new ConfirmResult(ConfirmStatus.Confirmed, 3, null),
        }));
        Assert.Equal(new StockLevels(10, 7, 0, 3), (await sku.GetAsync()).Levels);
    }

    [Fact]
    public async Task Release_repeats_return_the_units_once_and_unknown_orders_change_nothing()
    {
        var sku = await inventory.NewSkuAsync(10);
        await sku.ReserveAsync("order-1", 5, InAnHour);

        var releases = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => sku.ReleaseAsync("order-1"))));
        Assert.All(releases, r => Assert.Equal(new ReleaseResult(ReleaseStatus.Released, 5, ReleaseReason.Cancelled), r));
        Assert.Equal(new StockLevels(10, 10, 0, 0), (await sku.GetAsync()).Levels);

        // Payment arriving after the cancel is refused; a late reserve does not bring the order back.
        Assert.Equal(new ConfirmResult(ConfirmStatus.Released, 5, ReleaseReason.Cancelled), await sku.ConfirmAsync("order-1"));
        Assert.Equal(new ReserveResult(ReserveStatus.AlreadyReleased, 5, 10, null), await sku.ReserveAsync("order-1", 5, InAnHour));

        Assert.Equal(new ReleaseResult(ReleaseStatus.NotReserved, 0, null), await sku.ReleaseAsync("never-seen"));
        Assert.Equal(new ReleaseResult(ReleaseStatus.NotReserved, 0, null), await sku.ReleaseAsync("never-seen"));
        Assert.Equal(new ConfirmResult(ConfirmStatus.NotReserved, 0, null), await sku.ConfirmAsync("never-seen"));
        Assert.Equal(new StockLevels(10, 10, 0, 0), (await sku.GetAsync()).Levels);
    }

    [Fact]
    public async Task Answers_stay_the_same_after_a_restart_from_postgres()
    {
        var sku = await inventory.NewSkuAsync(10);
        await sku.ReserveAsync("paid", 2, InAnHour);
        await sku.ConfirmAsync("paid");
        await sku.ReserveAsync("cancelled", 3, InAnHour);
        await sku.ReleaseAsync("cancelled");
        await sku.ReserveAsync("held", 4, InAnHour);
        var before = await sku.GetAsync();

        await inventory.RestartAsync();
        sku = inventory.Sku(sku.GetPrimaryKeyString());

        Assert.Equal(new ConfirmResult(ConfirmStatus.Confirmed, 2, null), await sku.ConfirmAsync("paid"));
        Assert.Equal(new ReleaseResult(ReleaseStatus.Released, 3, ReleaseReason.Cancelled), await sku.ReleaseAsync("cancelled"));
        Assert.Equal(new ReserveResult(ReserveStatus.AlreadyReserved, 4, 4, InAnHour), await sku.ReserveAsync("held", 4, InAnHour));
        var after = await sku.GetAsync();
        Assert.Equal(new StockLevels(10, 4, 4, 2), after.Levels);
        Assert.Equal(before.Levels, after.Levels);
        Assert.Equal(before.Reservations, after.Reservations);
    }

    [Fact]
    public async Task The_embedded_mode_keeps_stock_in_memory_with_the_same_rules()
    {
        await using var cluster = await ShopTestCluster.StartAsync(withApi: false, embedded: true);
        var sku = cluster.Grains.GetGrain<IInventoryGrain>(ProductId.New());
        await sku.AdjustAsync(5, "initial stock", "tests");

        Assert.Equal(ReserveStatus.Reserved, (await sku.ReserveAsync("order-1", 3, InAnHour)).Status);
        Assert.Equal(new ReserveResult(ReserveStatus.Insufficient, 0, 2, null), await sku.ReserveAsync("order-2", 3, InAnHour));
        Assert.Equal(new ConfirmResult(ConfirmStatus.Confirmed, 3, null), await sku.ConfirmAsync("order-1"));
        Assert.Equal(new ConfirmResult(ConfirmStatus.Confirmed, 3, null), await sku.ConfirmAsync("order-1"));
        Assert.Equal(new StockLevels(5, 2, 0, 3), (await sku.GetAsync()).Levels);
    }

    [Fact]
    public async Task Adjustments_never_make_available_stock_negative()
    {
        var sku = await inventory.NewSkuAsync(10);
        await sku.ReserveAsync("order-1", 6, InAnHour);

        var refused = await sku.AdjustAsync(-5, "stocktake", "admin-1");
        Assert.Equal(new AdjustResult(AdjustStatus.InsufficientAvailable, new StockLevels(10, 4, 6, 0)), refused);
        Assert.Equal(new AdjustResult(AdjustStatus.Adjusted, new StockLevels(6, 0, 6, 0)), await sku.AdjustAsync(-4, "stocktake", "admin-1"));
        Assert.Equal(new AdjustResult(AdjustStatus.Adjusted, new StockLevels(26, 20, 6, 0)), await sku.AdjustAsync(20, "restock", "admin-1"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sku.AdjustAsync(0, "nothing", "admin-1"));
    }
}
