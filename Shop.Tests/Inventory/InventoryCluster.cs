using Microsoft.Extensions.DependencyInjection;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Inventory;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Inventory;

/// <summary>
/// One real cluster (silo + API on a fresh PostgreSQL database) shared by the tests of a class; each test uses its
/// own SKUs. The store is the real PostgreSQL store behind a fault-injecting decorator (idle unless a test arms it).
/// </summary>
public sealed class InventoryCluster : IAsyncLifetime
{
    public ShopTestCluster Cluster { get; private set; } = null!;

    public FaultInjectingInventoryStore Store { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Grains;

    public string ConnectionString => Cluster.ConnectionString!;

    public async Task InitializeAsync()
    {
        Cluster = await ShopTestCluster.StartAsync(configure: cluster =>
        {
            Store = new FaultInjectingInventoryStore(new PostgresInventoryStore(cluster.ConnectionString!));
            cluster.ConfigureSiloServices = services => services.AddSingleton<IInventoryStore>(Store);
        });
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public IInventoryGrain Sku(string id) => Grains.GetGrain<IInventoryGrain>(id);

    /// <summary>A new SKU holding <paramref name="stock"/> units.</summary>
    public async Task<IInventoryGrain> NewSkuAsync(long stock)
    {
        var sku = Sku(ProductId.New());
        if (stock > 0)
        {
            var result = await sku.AdjustAsync(stock, "initial stock", "tests");
            Assert.Equal(AdjustStatus.Adjusted, result.Status);
        }

        return sku;
    }

    /// <summary>Stops every silo and starts a fresh one on the same database: memory is gone, storage is not.</summary>
    public async Task RestartAsync()
    {
        await Cluster.StopAsync();
        await Cluster.StartSiloAsync();
        await Cluster.StartApiAsync();
    }
}

public static class StockAssert
{
    /// <summary>Stock is conserved: every unit is available, reserved or sold, and the reservations add up.</summary>
    public static void Conserved(StockSnapshot snapshot)
    {
        var levels = snapshot.Levels;
        Assert.Equal(levels.Total, levels.Available + levels.Reserved + levels.Sold);
        Assert.True(levels.Available >= 0, $"available is {levels.Available}");
        Assert.Equal(levels.Reserved, snapshot.Reservations.Sum(r => (long)r.Quantity));
    }
}
