using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Refit;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Signing;
using Shop.WeChatPay.Verification;

namespace Shop.WeChatPay;

public static class WeChatPayBillsServiceCollectionExtensions
{
    /// <summary>
    /// The bill applications (<see cref="IWeChatPayBillApi"/>: signed, answers verified, GETs retried) and the
    /// <see cref="WeChatPayBillDownloader"/> (signed, NOT verified: the download answer carries no signature and is
    /// checked by hash). Call after <see cref="WeChatPayServiceCollectionExtensions.AddWeChatPay"/>, whose settings
    /// and keys they share.
    /// </summary>
    public static IServiceCollection AddWeChatPayBills(this IServiceCollection services)
    {
        var settings = new RefitSettings(new SystemTextJsonContentSerializer(WeChatPayJson.Options))
        {
            ExceptionFactory = WeChatPayExceptionFactory.CreateAsync,
        };
        var wrapTransport = settings.TransportExceptionFactory;
        settings.TransportExceptionFactory = (request, exception, ct) =>
            exception is WeChatPayVerificationException ? exception : wrapTransport(request, exception, ct);
        var api = services.AddRefitGeneratedClient<IWeChatPayBillApi>(settings)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = new Uri(Options(sp).BaseUrl));
        api.AddStandardResilienceHandler().Configure((options, sp) => WeChatPayRetryPolicy.Configure(options, Options(sp)));
        api.AddHttpMessageHandler<SigningHandler>().AddHttpMessageHandler<ResponseVerifyingHandler>();

        var download = services.AddHttpClient<WeChatPayBillDownloader>();
        download.AddStandardResilienceHandler().Configure((options, sp) => WeChatPayRetryPolicy.Configure(options, Options(sp)));
        download.AddHttpMessageHandler<SigningHandler>();
        return services;
    }

    private static WeChatPayOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<WeChatPayOptions>>().Value;
}
