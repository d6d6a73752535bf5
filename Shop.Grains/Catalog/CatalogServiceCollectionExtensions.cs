using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shop.Grains.Catalog;

public static class CatalogServiceCollectionExtensions
{
    /// <summary>
    /// What the catalog grains need in a silo: the read model (PostgreSQL when <paramref name="connectionString"/> is
    /// set, in memory in embedded mode), options from <c>Catalog:*</c>, and the clock.
    /// </summary>
    public static IServiceCollection AddShopCatalog(this IServiceCollection services, string? connectionString)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName);
        if (connectionString is null)
        {
            services.AddSingleton<ICatalogReadModel, InMemoryCatalogReadModel>();
        }
        else
        {
            services.AddSingleton<ICatalogReadModel>(_ => new PostgresCatalogReadModel(connectionString));
        }

        return services;
    }
}
