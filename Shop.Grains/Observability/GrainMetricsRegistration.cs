using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using System.Diagnostics.Metrics;

namespace Shop.Grains.Observability;

public static class GrainMetricsRegistration
{
    /// <summary>The silo's business metrics; the reconciliation backlog only when reminders live in PostgreSQL.</summary>
    public static IServiceCollection AddShopGrainMetrics(this IServiceCollection services, string? connectionString, string serviceId)
    {
        services.TryAddSingleton<ShopGrainMetrics>();
        services.TryAddTransient<WeChatPayCallMetricsHandler>();
        services.AddHostedService<CreatedAtStart>();
        if (connectionString is not null)
        {
            services.AddHostedService(sp => new ReconciliationBacklog(connectionString, serviceId,
                sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<ILogger<ReconciliationBacklog>>()));
        }

        return services;
    }

    /// <summary>
    /// The storage-error counter is observable: it must exist from the start (reading 0), not from the first grain
    /// that asks for the metrics, or an alert on its rate has no series to evaluate until something breaks.
    /// </summary>
    private sealed class CreatedAtStart(ShopGrainMetrics metrics) : Microsoft.Extensions.Hosting.IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(metrics);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
