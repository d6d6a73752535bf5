using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Grains.Inventory;
using Shop.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Inventory;

/// <summary><c>Inventory:ProjectionInterval</c> (README) reaches the grains' options, and a bad value stops the silo with one line.</summary>
public sealed class InventoryConfigurationTests
{
    [Fact]
    public async Task The_silo_reads_the_storefront_projection_interval_from_configuration()
    {
        await using var cluster = await ShopTestCluster.StartAsync(withApi: false, embedded: true,
            configure: c => c.Settings["Inventory:ProjectionInterval"] = "00:00:05");

        var options = cluster.Silos[0].App.Services.GetRequiredService<IOptions<InventoryOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(5), options.ProjectionInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), Build(null).GetRequiredService<IOptions<InventoryOptions>>().Value.ProjectionInterval);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-00:00:01")]
    [InlineData("02:00:00")]
    public void A_bad_interval_is_a_configuration_error_naming_the_key(string configured)
    {
        var error = Assert.Throws<ShopConfigurationException>(() => Build(configured));

        Assert.Contains("Inventory:ProjectionInterval", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(string? interval)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(interval is null ? [] : [new("Inventory:ProjectionInterval", interval)])
            .Build();
        var services = new ServiceCollection();
        services.AddOptions<InventoryOptions>();
        services.ConfigureShopInventory(configuration);
        return services.BuildServiceProvider();
    }
}
