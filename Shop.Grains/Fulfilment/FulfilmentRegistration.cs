using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Grains.Hosting;
using Shop.Grains.Interfaces.Fulfilment;
using Shop.Grains.Orders;
using Shop.Grains.Payments.WeChatPay;
using Shop.WeChatPay.MiniProgram;

namespace Shop.Grains.Fulfilment;

public static class FulfilmentRegistration
{
    /// <summary>
    /// Shipping in a silo: the settings, the upload backlog and its metrics, and (when the mini program and the
    /// WeChat Pay merchant are both configured) the mini-program client that uploads shipping information; the courier
    /// list's refresh at start (a fetch when the mini program is configured). Call after
    /// AddShopOrders (it reads the orders table the same way).
    /// </summary>
    public static IServiceCollection AddShopFulfilment(this IServiceCollection services, string? connectionString, IConfiguration configuration)
    {
        services.AddOptions<FulfilmentOptions>().Bind(configuration.GetSection(FulfilmentOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ShippingMetrics>();
        if (connectionString is null)
        {
            services.AddSingleton<IShippingUploadStore>(sp => new InMemoryShippingUploadStore(
                (InMemoryOrderStore)sp.GetRequiredService<IOrderStore>(), sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            services.AddSingleton<IShippingUploadStore>(new PostgresShippingUploadStore(connectionString));
        }

        services.AddHostedService<ShippingUploadBacklog>();
        services.AddHostedService(sp => new CreatedAtStart(sp.GetRequiredService<ShippingMetrics>()));
        var miniProgram = configuration.GetSection(WeChatMiniProgramOptions.Section);
        services.AddOptions<WeChatMiniProgramOptions>().Bind(miniProgram);
        // Every silo asks at start; the one courier-list grain fetches only when its stored list is stale.
        services.AddStartWhenActive("courier list refresh", g => g.GetGrain<ICourierListGrain>(ICourierListGrain.Key).StartAsync(), TimeSpan.FromSeconds(30));
        if (string.IsNullOrWhiteSpace(miniProgram["AppSecret"]) || string.IsNullOrWhiteSpace(miniProgram["AppId"]))
        {
            services.AddHostedService<UploadsOffWarning>();
            return services;
        }

        // The courier list needs only the mini program; the upload also needs the WeChat Pay merchant (mchid).
        services.AddWeChatMiniProgram(miniProgram);
        if (!PaymentsRegistration.IsConfigured(configuration))
        {
            services.AddHostedService<UploadsOffWarning>();
            return services;
        }

        services.AddSingleton<ShippingInfoUploader>();
        return services;
    }

    /// <summary>The upload counter exists from the start (reading nothing yet), so rates over it have a series.</summary>
    private sealed class CreatedAtStart(ShippingMetrics metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(metrics);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class UploadsOffWarning(ILogger<UploadsOffWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning("WeChat shipping information is not uploaded: WeChatMiniProgram:AppId/AppSecret or WeChatPay:MchId is not set");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
