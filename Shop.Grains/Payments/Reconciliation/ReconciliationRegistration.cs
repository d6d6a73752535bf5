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
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchedulerStarter>();
        return services;
    }

    /// <summary>Registers the daily reminder when this silo becomes active (retried in the background, like the due sweep).</summary>
    private sealed class SchedulerStarter(IGrainFactory grains, ILogger<SchedulerStarter> logger) : ILifecycleParticipant<ISiloLifecycle>
    {
        private readonly CancellationTokenSource _stopping = new();

        public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(SchedulerStarter), ServiceLifecycleStage.Active,
            started =>
            {
                _ = Task.Run(() => StartLoopAsync(_stopping.Token), CancellationToken.None);
                return Task.CompletedTask;
            },
            stopping =>
            {
                _stopping.Cancel();
                return Task.CompletedTask;
            });

        private async Task StartLoopAsync(CancellationToken stopping)
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    await grains.GetGrain<IReconciliationSchedulerGrain>(IReconciliationSchedulerGrain.Key).StartAsync();
                    return;
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "The daily bill reconciliation did not start yet; retrying");
                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(30), stopping);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }
    }
}
