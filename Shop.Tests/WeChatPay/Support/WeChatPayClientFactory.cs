using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.WeChatPay;

namespace Shop.Tests.WeChatPay.Support;

/// <summary>Builds the real AddWeChatPay composition from configuration, pointed at a loopback base URL.</summary>
internal static class WeChatPayClientFactory
{
    public static Dictionary<string, string?> Settings(Uri baseUrl, bool publicKey, bool? certificates) => new()
    {
        ["WeChatPay:MchId"] = WeChatPayVectors.MchId,
        ["WeChatPay:AppId"] = "wxd678efh567hg6787",
        ["WeChatPay:MerchantPrivateKeyPath"] = WeChatPayVectors.PathOf("keys/merchant_private_key.pem"),
        ["WeChatPay:MerchantCertificateSerial"] = WeChatPayVectors.MerchantSerial,
        ["WeChatPay:ApiV3Key"] = WeChatPayVectors.ApiV3Key,
        ["WeChatPay:NotifyUrl"] = "https://shop.example.com/api/wechatpay/notify",
        ["WeChatPay:BaseUrl"] = baseUrl.ToString(),
        ["WeChatPay:PublicKeyId"] = publicKey ? WeChatPayVectors.PublicKeyId : null,
        ["WeChatPay:PublicKeyPath"] = publicKey ? WeChatPayVectors.PathOf("keys/wxpaypub_public_key.pem") : null,
        ["WeChatPay:UsePlatformCertificates"] = certificates?.ToString(),
    };

    public static ServiceProvider Create(Dictionary<string, string?> settings, Action<IServiceCollection>? before = null, Action<IHttpClientBuilder>? client = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        before?.Invoke(services);
        var builder = services.AddWeChatPay(configuration.GetSection("WeChatPay"));
        client?.Invoke(builder);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
