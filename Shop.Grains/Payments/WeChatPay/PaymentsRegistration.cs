using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.WeChatPay;

namespace Shop.Grains.Payments.WeChatPay;

public static class PaymentsRegistration
{
    public const string WeChatPaySection = "WeChatPay";

    /// <summary>Payments are on when the WeChatPay section names a merchant; then every other setting must be right.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[WeChatPaySection + ":MchId"]);

    /// <summary>
    /// WeChat Pay for the silo: the protocol client (validated at start-up: a malformed setting stops the silo with a
    /// message naming it) and the payment options. Without a merchant id the feature is off and one warning says so.
    /// </summary>
    public static IServiceCollection AddShopPayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaymentOptions>().Bind(configuration.GetSection(PaymentOptions.Section));
        if (!IsConfigured(configuration))
        {
            services.AddHostedService<PaymentsOffWarning>();
            return services;
        }

        services.AddWeChatPay(configuration.GetSection(WeChatPaySection)).AddHttpMessageHandler<Observability.WeChatPayCallMetricsHandler>();
        services.AddSingleton<WeChatPayEnabled>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WeChatPayNotificationRejections>();
        return services;
    }

    private sealed class PaymentsOffWarning(ILogger<PaymentsOffWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning("WeChat Pay is not configured (no WeChatPay:MchId): payment routes answer 503 PAYMENTS_NOT_CONFIGURED");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
