using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Notifications;
using Shop.WeChatPay.Signing;
using Shop.WeChatPay.Verification;

namespace Shop.WeChatPay;

public static class WeChatPayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the WeChat Pay protocol layer from a configuration section (see <see cref="WeChatPayOptions"/>;
    /// validated at start-up with messages naming each bad setting) and the <see cref="IWeChatPayApi"/> client.
    /// Handler order, outermost first: resilience (timeouts, circuit breaker, safe retries) → signing → response
    /// verification → network; so every retry is signed afresh and every attempt's response is verified.
    /// </summary>
    public static IHttpClientBuilder AddWeChatPay(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<WeChatPayOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WeChatPayOptions>, WeChatPayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<INonceGenerator, RandomNonceGenerator>();

        services.TryAddSingleton(sp => CreateMerchantKey(Options(sp)));
        services.TryAddSingleton(sp => new ApiV3Cipher(Options(sp).ApiV3Key));
        services.TryAddSingleton(sp => CreateKeyStore(Options(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new PlatformCertificateProvider(
            ct => sp.GetRequiredService<IWeChatPayApi>().GetCertificatesAsync(ct),
            sp.GetRequiredService<ApiV3Cipher>(),
            sp.GetRequiredService<VerificationKeyStore>(),
            sp.GetRequiredService<TimeProvider>(),
            Options(sp).UnknownSerialRefreshInterval,
            sp.GetRequiredService<ILogger<PlatformCertificateProvider>>()));
        services.TryAddSingleton<IVerificationKeyResolver>(sp => new PlatformKeyResolver(
            sp.GetRequiredService<VerificationKeyStore>(),
            Options(sp).PlatformCertificatesEnabled ? sp.GetRequiredService<PlatformCertificateProvider>() : null));
        services.TryAddSingleton<WeChatPaySignatureVerifier>();
        services.TryAddSingleton<WeChatPayNotificationParser>();
        services.TryAddSingleton<RequestSigner>();
        services.TryAddSingleton<JsapiPaySigner>();
        services.TryAddSingleton<SensitiveFieldCipher>();
        services.AddHostedService(sp => new PlatformCertificateRefreshService(
            sp.GetRequiredService<PlatformCertificateProvider>(), Options(sp), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PlatformCertificateRefreshService>>()));

        services.TryAddTransient(sp => new SigningHandler(
            sp.GetRequiredService<RequestSigner>(), sp.GetRequiredService<VerificationKeyStore>(), Options(sp).UserAgent));
        services.TryAddTransient<ResponseVerifyingHandler>();

        var settings = new RefitSettings(new SystemTextJsonContentSerializer(WeChatPayJson.Options))
        {
            ExceptionFactory = WeChatPayExceptionFactory.CreateAsync,
        };
        // Refit wraps anything thrown while sending in ApiRequestException; a failed verification stays our own type.
        var wrapTransport = settings.TransportExceptionFactory;
        settings.TransportExceptionFactory = (request, exception, ct) =>
            exception is WeChatPayVerificationException ? exception : wrapTransport(request, exception, ct);
        var builder = services.AddRefitGeneratedClient<IWeChatPayApi>(settings)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = new Uri(Options(sp).BaseUrl));
        builder.AddStandardResilienceHandler().Configure((options, sp) => WeChatPayRetryPolicy.Configure(options, Options(sp)));
        return builder
            .AddHttpMessageHandler<SigningHandler>()
            .AddHttpMessageHandler<ResponseVerifyingHandler>();
    }

    private static WeChatPayOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<WeChatPayOptions>>().Value;

    private static MerchantKey CreateMerchantKey(WeChatPayOptions options) =>
        MerchantKey.FromPem(options.MchId, options.MerchantCertificateSerial, File.ReadAllText(options.MerchantPrivateKeyPath));

    private static VerificationKeyStore CreateKeyStore(WeChatPayOptions options, TimeProvider time)
    {
        var store = new VerificationKeyStore(time);
        if (options.PublicKeyEnabled && options.PublicKeyPath is { } path)
        {
            store.AddPublicKey(options.PublicKeyId!, PemKeys.ImportPublicKey(File.ReadAllText(path)));
        }

        return store;
    }
}
