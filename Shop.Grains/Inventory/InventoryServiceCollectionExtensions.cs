using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Grains.Audit;
using Shop.Grains.Interfaces.Inventory;

namespace Shop.Grains.Inventory;

public static class InventoryServiceCollectionExtensions
{
    /// <summary>
    /// The inventory store: PostgreSQL when <paramref name="connectionString"/> is set, memory otherwise (embedded
    /// mode, nothing persisted). Registered with TryAdd so that a host (or a test's fault injection) can put its own
    /// store in first.
    /// </summary>
    public static IServiceCollection AddShopInventory(this IServiceCollection services, string? connectionString)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<InventoryOptions>();
        services.TryAddSingleton(sp => new ReservationCoalescer(sp.GetRequiredService<IGrainFactory>()));
        services.TryAddSingleton<InventoryProjection>();
        if (connectionString is null)
        {
            services.TryAddSingleton<IInventoryStore, InMemoryInventoryStore>();
        }
        else
        {
            services.TryAddSingleton<IInventoryStore>(_ => new PostgresInventoryStore(connectionString));
        }

        return services.AddShopStockAudit(connectionString);
    }
}
