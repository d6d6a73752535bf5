using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders.Flow;

/// <summary>Two silos and the API on a fresh PostgreSQL database, with the default (15 minute) payment timeout.</summary>
public sealed class OrderClusterFixture : IAsyncLifetime
{
    public ShopTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await ShopTestCluster.StartAsync(silos: 2);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
