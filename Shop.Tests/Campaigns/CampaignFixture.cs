using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Campaigns;

/// <summary>
/// One silo and the API on a fresh database, its grains and orders on an <see cref="OffsetClock"/> that tests move
/// forward (each test's campaign is timed from the clock's now, so moving it for one test does not break another's);
/// hoarding limits out of reach (<see cref="HoardingTests"/> has its own).
/// </summary>
public sealed class CampaignFixture : IAsyncLifetime
{
    public OffsetClock Clock { get; } = new();

    public ShopTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await ShopTestCluster.StartAsync(configure: c =>
    {
        c.Settings["Orders:DueSweepInterval"] = "00:00:01";
        c.Settings["Campaigns:ReminderPeriod"] = "00:00:01";
        c.Settings["Campaigns:MetricsInterval"] = "00:00:01";
        c.ConfigureSiloServices = s => s.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        c.UseClock(Clock);
    });

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
