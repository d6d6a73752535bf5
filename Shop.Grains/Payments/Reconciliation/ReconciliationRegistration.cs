using Shop.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Payments.Reconciliation;
using Shop.Grains.Payments.WeChatPay;
using Shop.WeChatPay;

namespace Shop.Grains.Payments.Reconciliation;

public static class ReconciliationRegistration
{
    /// <summary>
    /// The daily bill reconciliation: on when WeChat Pay is configured and the silo runs on PostgreSQL (the bills, the
    /// runs and the differences are stored there, and the orders are read from there). Call after AddShopPayments.
    /// </summary>
    public static IServiceCollection AddShopReconciliation(this IServiceCollection services, string? connectionString, IConfiguration configuration)
    {
        services.AddOptions<ReconciliationOptions>().Bind(configuration.GetSection(ReconciliationOptions.Section));
        if (connectionString is null || !PaymentsRegistration.IsConfigured(configuration))
        {
            return services;
        }

        services.AddWeChatPayBills();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new ReconciliationStore(connectionString));
        services.AddSingleton<ReconciliationMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<ReconciliationMetrics>());
        services.AddStartWhenActive("daily bill reconciliation", g => g.GetGrain<IReconciliationSchedulerGrain>(IReconciliationSchedulerGrain.Key).StartAsync(), TimeSpan.FromSeconds(30));
        return services;
    }
}
