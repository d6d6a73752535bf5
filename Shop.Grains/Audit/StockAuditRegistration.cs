using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Grains.Inventory;
using Shop.Grains.Orders;

namespace Shop.Grains.Audit;

public static class StockAuditRegistration
{
    /// <summary>Where the stock audit reads: PostgreSQL when <paramref name="connectionString"/> is set, else the embedded stores.</summary>
    public static IServiceCollection AddShopStockAudit(this IServiceCollection services, string? connectionString)
    {
        if (connectionString is null)
        {
            services.TryAddSingleton<IStockAuditSource>(sp =>
                new InMemoryStockAuditSource(sp.GetRequiredService<IInventoryStore>(), sp.GetRequiredService<IOrderStore>()));
        }
        else
        {
            services.TryAddSingleton<IStockAuditSource>(new PostgresStockAuditSource(connectionString));
        }

        return services;
    }
}
