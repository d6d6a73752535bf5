using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Grains.Orders;
using Shop.Grains.PersonalData.Audit;
using Shop.Grains.PersonalData.Export;

namespace Shop.Grains.PersonalData;

public static class PersonalDataRegistration
{
    /// <summary>The clock of export budgets and access records; tests replace it with a fake one under this key.</summary>
    public const string ClockKey = "personal-data";

    /// <summary>Exports and the operator access log in a silo (PostgreSQL, or memory in embedded mode). Needs AddShopOrders.</summary>
    public static IServiceCollection AddShopPersonalData(this IServiceCollection services, string? connectionString)
    {
        services.TryAddKeyedSingleton(ClockKey, TimeProvider.System);
        services.AddSingleton<PersonalDataMetrics>();
        if (connectionString is null)
        {
            services.AddSingleton<IPersonalDataAccessStore, InMemoryPersonalDataAccessStore>();
            services.AddSingleton<IPersonalDataOrderSource>(sp => new InMemoryPersonalDataOrderSource((InMemoryOrderStore)sp.GetRequiredService<IOrderStore>()));
        }
        else
        {
            services.AddSingleton<IPersonalDataAccessStore>(new PostgresPersonalDataAccessStore(connectionString));
            services.AddSingleton<IPersonalDataOrderSource>(new PostgresPersonalDataOrderSource(connectionString));
        }

        return services;
    }
}
