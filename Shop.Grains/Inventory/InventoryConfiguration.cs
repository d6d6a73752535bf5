using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Hosting;

namespace Shop.Grains.Inventory;

public static class InventoryConfiguration
{
    /// <summary>
    /// The inventory settings an operator may tune: <c>Inventory:ProjectionInterval</c>, at most one write per SKU of
    /// the storefront list's "available" column in that interval (0: after every change). The rest of
    /// <see cref="InventoryOptions"/> are invariants of the stock log, not knobs.
    /// </summary>
    public static IServiceCollection ConfigureShopInventory(this IServiceCollection services, IConfiguration configuration)
    {
        var raw = configuration["Inventory:ProjectionInterval"];
        if (raw is null)
        {
            return services;
        }

        if (!TimeSpan.TryParse(raw, CultureInfo.InvariantCulture, out var interval) || interval < TimeSpan.Zero || interval > TimeSpan.FromHours(1))
        {
            throw new ShopConfigurationException($"Inventory:ProjectionInterval '{raw}' must be a duration from 00:00:00 to 01:00:00.");
        }

        return services.Configure<InventoryOptions>(o => o.ProjectionInterval = interval);
    }
}
