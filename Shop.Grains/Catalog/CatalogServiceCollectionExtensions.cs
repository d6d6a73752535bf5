using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shop.Grains.Catalog;

public static class CatalogServiceCollectionExtensions
{
    /// <summary>
    /// What the catalog grains need in a silo: the read model (PostgreSQL when <paramref name="connectionString"/> is
    /// set, in memory in embedded mode; TryAdd, so a host or test can put its own first), options from
    /// <c>Catalog:*</c>, and the clock.
    /// </summary>
    public static IServiceCollection AddShopCatalog(this IServiceCollection services, string? connectionString)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName);
        if (connectionString is null)
        {
            services.TryAddSingleton<ICatalogReadModel, InMemoryCatalogReadModel>();
        }
        else
        {
            services.TryAddSingleton<ICatalogReadModel>(_ => new PostgresCatalogReadModel(connectionString));
        }

        return services;
    }
}
