using Microsoft.Extensions.DependencyInjection;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Inventory;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Inventory;

/// <summary>Reservations across many SKUs reach a silo in shared calls, and each gets the answer a lone call would.</summary>
public sealed class ReservationRouterTests : IAsyncLifetime
{
    private readonly RouterCallCounter _calls = new();
    private ShopTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ShopTestCluster.StartAsync(withApi: false,
        configure: c => c.ConfigureSiloServices = services => services.AddSingleton<IIncomingGrainCallFilter>(_calls));

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Three_hundred_callers_over_30_SKUs_of_5_units_get_150_reservations_in_shared_calls_and_nothing_oversold()
    {
        var skus = Enumerable.Range(0, 30).Select(_ => ProductId.New()).ToArray();
        foreach (var sku in skus)
        {
            Assert.Equal(AdjustStatus.Adjusted, (await _cluster.Grains.GetGrain<IInventoryGrain>(sku).AdjustAsync(5, "stock", "tests")).Status);
        }

        var router = new ReservationRouter(_cluster.Grains);
        var until = DateTimeOffset.UtcNow.AddHours(1);
        _calls.Reset();

        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            Task.Run(() => router.ReserveAsync(skus[i % skus.Length], $"o-{i}", 1, until))));

        Assert.Equal(150, answers.Count(a => a.Status == ReserveStatus.Reserved));
        Assert.Equal(150, answers.Count(a => a.Status == ReserveStatus.Insufficient));
        Assert.InRange(_calls.Batches, 1, 150);
        foreach (var sku in skus)
        {
            var levels = (await _cluster.Grains.GetGrain<IInventoryGrain>(sku).GetAsync()).Levels;
            Assert.Equal((0L, 5L), (levels.Available, levels.Reserved));
        }

        // Idempotent per reservation id, through the router as through the grain.
        var reserved = Enumerable.Range(0, 300).Where(i => answers[i].Status == ReserveStatus.Reserved).ToList();
        var again = await Task.WhenAll(reserved.Select(i => router.ReserveAsync(skus[i % skus.Length], $"o-{i}", 1, until)));
        Assert.All(again, a => Assert.Equal(ReserveStatus.AlreadyReserved, a.Status));
        Assert.Equal(150L, (await Task.WhenAll(skus.Select(s => _cluster.Grains.GetGrain<IInventoryGrain>(s).GetAsync()))).Sum(s => s.Levels.Reserved));
    }

    [Fact]
    public async Task A_bad_item_is_refused_alone_and_the_others_of_its_batch_are_reserved()
    {
        var good = ProductId.New();
        await _cluster.Grains.GetGrain<IInventoryGrain>(good).AdjustAsync(10, "stock", "tests");
        var until = DateTimeOffset.UtcNow.AddHours(1);

        var answers = await _cluster.Grains.GetGrain<IStockReservationsGrain>(0).ReserveAsync([
            new SkuReservation(good, new ReserveRequest("a", 2, until)),
            new SkuReservation(good, new ReserveRequest("b", 0, until)),
            new SkuReservation(good, new ReserveRequest("c", 1, DateTimeOffset.UtcNow.AddMinutes(-1))),
            new SkuReservation(good, new ReserveRequest("d", 9, until)),
        ]);

        Assert.Equal(ReserveStatus.Reserved, answers[0].Result!.Status);
        Assert.Equal((RoutedReservationFailure.Invalid, (ReserveResult?)null), (answers[1].Failure, answers[1].Result));
        Assert.Equal(RoutedReservationFailure.Invalid, answers[2].Failure);
        Assert.Equal((ReserveStatus.Insufficient, 8L), (answers[3].Result!.Status, answers[3].Result!.Available));
        await Assert.ThrowsAsync<ArgumentException>(() => new ReservationRouter(_cluster.Grains).ReserveAsync(good, "e", -1, until));
        Assert.Equal(2L, (await _cluster.Grains.GetGrain<IInventoryGrain>(good).GetAsync()).Levels.Reserved);
    }

    private sealed class RouterCallCounter : IIncomingGrainCallFilter
    {
        private int _batches;

        public int Batches => Volatile.Read(ref _batches);

        public void Reset() => Interlocked.Exchange(ref _batches, 0);

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.DeclaringType == typeof(IStockReservationsGrain))
            {
                Interlocked.Increment(ref _batches);
            }

            return context.Invoke();
        }
    }
}
