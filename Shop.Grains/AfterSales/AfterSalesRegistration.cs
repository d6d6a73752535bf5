using Shop.Grains.Interfaces.AfterSales;
using Shop.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shop.Grains.AfterSales;

public static class AfterSalesRegistration
{
    /// <summary>The clock of after-sales deadlines and windows; tests replace it with a fake one under this key.</summary>
    public const string ClockKey = "after-sales";

    /// <summary>After-sales requests in a silo: their store (PostgreSQL, or memory in embedded mode), settings and sweep.</summary>
    public static IServiceCollection AddShopAfterSales(this IServiceCollection services, string? connectionString, IConfiguration configuration)
    {
        services.TryAddKeyedSingleton(ClockKey, TimeProvider.System);
        services.AddOptions<AfterSalesOptions>().Bind(configuration.GetSection("AfterSales"));
        services.AddSingleton<IAfterSalesStore>(connectionString is null ? new InMemoryAfterSalesStore() : new PostgresAfterSalesStore(connectionString));
        services.TryAddSingleton<AfterSalesMetrics>();
        services.AddHostedService<AfterSalesBacklog>();
        services.AddStartWhenActive("after-sales sweep", g => g.GetGrain<IAfterSalesDueSweepGrain>(IAfterSalesDueSweepGrain.Key).StartAsync());
        return services;
    }
}
