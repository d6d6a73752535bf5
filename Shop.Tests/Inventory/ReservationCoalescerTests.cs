using Microsoft.Extensions.DependencyInjection;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Inventory;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Inventory;

/// <summary>Concurrent reservations of one SKU share grain calls, and each still gets the answer a lone call would.</summary>
public sealed class ReservationCoalescerTests : IAsyncLifetime
{
    private readonly InventoryCallCounter _calls = new();
    private ShopTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ShopTestCluster.StartAsync(withApi: false,
        configure: c => c.ConfigureSiloServices = services => services.AddSingleton<IIncomingGrainCallFilter>(_calls));

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Two_hundred_callers_of_150_units_get_150_reservations_in_far_fewer_grain_calls_and_nothing_oversold()
    {
        var id = ProductId.New();
        var sku = _cluster.Grains.GetGrain<IInventoryGrain>(id);
        Assert.Equal(AdjustStatus.Adjusted, (await sku.AdjustAsync(150, "stock", "tests")).Status);
        var coalescer = new ReservationCoalescer(_cluster.Grains);
        var until = DateTimeOffset.UtcNow.AddHours(1);
        _calls.Reset();

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => coalescer.ReserveAsync(id, $"o-{i}", 1, until))));

        Assert.Equal(150, answers.Count(a => a.Status == ReserveStatus.Reserved));
        Assert.Equal(50, answers.Count(a => a.Status == ReserveStatus.Insufficient));
        Assert.InRange(_calls.Reserves, 1, 100);
        var levels = (await sku.GetAsync()).Levels;
        Assert.Equal((0L, 150L), (levels.Available, levels.Reserved));

        // Idempotent per reservation id, through the coalescer as through the grain.
        var again = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => coalescer.ReserveAsync(id, $"o-{i}", 1, until)));
        Assert.All(again, a => Assert.True(a.Status is ReserveStatus.AlreadyReserved or ReserveStatus.Insufficient, a.Status.ToString()));
        Assert.Equal(150L, (await sku.GetAsync()).Levels.Reserved);
    }

    [Fact]
    public async Task A_reservation_expired_on_arrival_is_refused_alone_and_the_others_of_its_call_are_kept()
    {
        var id = ProductId.New();
        var sku = _cluster.Grains.GetGrain<IInventoryGrain>(id);
        await sku.AdjustAsync(10, "stock", "tests");

        var answers = await sku.ReserveManyAsync([
            new ReserveRequest("a", 2, DateTimeOffset.UtcNow.AddHours(1)),
            new ReserveRequest("b", 1, DateTimeOffset.UtcNow.AddMinutes(-1)),
            new ReserveRequest("a", 2, DateTimeOffset.UtcNow.AddHours(1)),
            new ReserveRequest("c", 9, DateTimeOffset.UtcNow.AddHours(1)),
        ]);

        Assert.Equal(ReserveStatus.Reserved, answers[0]!.Status);
        Assert.Null(answers[1]);
        Assert.Equal(ReserveStatus.AlreadyReserved, answers[2]!.Status);
        Assert.Equal((ReserveStatus.Insufficient, 8L), (answers[3]!.Status, answers[3]!.Available));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            new ReservationCoalescer(_cluster.Grains).ReserveAsync(id, "late", 1, DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.Equal((8L, 2L), ((await sku.GetAsync()).Levels.Available, (await sku.GetAsync()).Levels.Reserved));
    }

    private sealed class InventoryCallCounter : IIncomingGrainCallFilter
    {
        private int _reserves;

        public int Reserves => Volatile.Read(ref _reserves);

        public void Reset() => Interlocked.Exchange(ref _reserves, 0);

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name is nameof(IInventoryGrain.ReserveAsync) or nameof(IInventoryGrain.ReserveManyAsync))
            {
                Interlocked.Increment(ref _reserves);
            }

            return context.Invoke();
        }
    }
}
