using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Grains.Orders;

namespace Shop.Grains.Campaigns;

public static class CampaignsRegistration
{
    /// <summary>Campaigns and the hoarding limits: options, metrics, and where a customer's unpaid orders are read from.</summary>
    public static IServiceCollection AddShopCampaigns(this IServiceCollection services, string? connectionString, IConfiguration configuration)
    {
        services.AddOptions<HoardingOptions>().Bind(configuration.GetSection("Hoarding"));
        services.AddOptions<CampaignOptions>().Bind(configuration.GetSection("Campaigns"));
        services.AddSingleton<CampaignMetrics>();
        services.AddHostedService<MetricsAtStart>();
        if (connectionString is null)
        {
            services.AddSingleton<IUnpaidOrderSource>(sp => new InMemoryUnpaidOrderSource(sp.GetRequiredService<IOrderStore>()));
        }
        else
        {
            services.AddSingleton<IUnpaidOrderSource>(new PostgresUnpaidOrderSource(connectionString));
        }

        return services;
    }

    /// <summary>The gauges exist from the start (reading 0), not from the first campaign.</summary>
    private sealed class MetricsAtStart(CampaignMetrics metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(metrics);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
