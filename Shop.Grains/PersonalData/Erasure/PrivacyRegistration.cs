using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Grains.Hosting;
using Shop.Grains.Interfaces.PersonalData;
using Shop.Grains.Orders;

namespace Shop.Grains.PersonalData.Erasure;

public static class PrivacyRegistration
{
    /// <summary>The clock of erasure waits and retention; tests replace it with a fake one under this key.</summary>
    public const string ClockKey = "privacy";

    /// <summary>Erasure requests and retention in a silo: the store (PostgreSQL, or memory in embedded mode), settings, metrics and sweep. After AddShopOrders.</summary>
    public static IServiceCollection AddShopPrivacy(this IServiceCollection services, string? connectionString, IConfiguration configuration)
    {
        services.TryAddKeyedSingleton(ClockKey, TimeProvider.System);
        services.AddOptions<PrivacyOptions>().Bind(configuration.GetSection("Privacy"))
            .Validate(o => o.RetentionDays >= 1 && o.RetentionBatchSize is >= 1 and <= 10_000 && o.SweepInterval > TimeSpan.Zero
                && o.ReminderPeriod > TimeSpan.Zero && o.ErasureRecheckInterval > TimeSpan.Zero,
                "Privacy: RetentionDays >= 1, RetentionBatchSize 1..10000, SweepInterval, ReminderPeriod and ErasureRecheckInterval > 0.")
            .ValidateOnStart();
        services.AddSingleton<ErasureMetrics>();
        services.AddSingleton<IErasureStore>(sp => connectionString is null
            ? new InMemoryErasureStore(sp.GetRequiredService<IOrderStore>())
            : new PostgresErasureStore(connectionString));
        services.AddStartWhenActive("personal-data sweep", g => g.GetGrain<IPersonalDataSweepGrain>(IPersonalDataSweepGrain.Key).StartAsync());
        return services;
    }
}
