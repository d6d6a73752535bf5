using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Tests.WeChatPay.Support;
using Shop.WeChatPay;
using Shop.WeChatPay.Api;

namespace Shop.Tests.WeChatPay;

public sealed class OptionsValidationTests
{
    private static readonly Uri Live = new(WeChatPayOptions.DefaultBaseUrl);

    [Fact]
    public void Complete_settings_validate_and_base_url_defaults_to_the_live_host()
    {
        var settings = WeChatPayClientFactory.Settings(Live, publicKey: true, certificates: null);
        settings.Remove("WeChatPay:BaseUrl");
        using var sp = WeChatPayClientFactory.Create(settings);

        var options = sp.GetRequiredService<IOptions<WeChatPayOptions>>().Value;

        Assert.Equal("https://api.mch.weixin.qq.com", options.BaseUrl);
        Assert.True(options.PublicKeyEnabled);
        Assert.False(options.PlatformCertificatesEnabled);
    }

    [Theory]
    [InlineData("WeChatPay:MerchantPrivateKeyPath", "/nonexistent/apiclient_key.pem", "MerchantPrivateKeyPath: file '/nonexistent/apiclient_key.pem' does not exist")]
    [InlineData("WeChatPay:ApiV3Key", "only-31-bytes-long-apiv3-key-xx", "ApiV3Key must be the 32-character APIv3 key (got 31 bytes)")]
    [InlineData("WeChatPay:ApiV3Key", "", "ApiV3Key must be the 32-character APIv3 key (got 0 bytes)")]
    [InlineData("WeChatPay:NotifyUrl", "http://shop.example.com/notify", "NotifyUrl must use https")]
    [InlineData("WeChatPay:NotifyUrl", "https://shop.example.com/notify?order=1", "NotifyUrl must not have a query string")]
    [InlineData("WeChatPay:NotifyUrl", "/api/wechatpay/notify", "NotifyUrl must be an absolute https URL")]
    [InlineData("WeChatPay:BaseUrl", "http://api.mch.weixin.qq.com", "BaseUrl must use https")]
    [InlineData("WeChatPay:MchId", "", "MchId is required")]
    [InlineData("WeChatPay:AppId", "", "AppId is required")]
    [InlineData("WeChatPay:MerchantCertificateSerial", "not-hex", "MerchantCertificateSerial is required")]
    [InlineData("WeChatPay:PublicKeyId", "01022439506334634994596927031929", "PublicKeyId must start with PUB_KEY_ID_")]
    public void Bad_setting_fails_with_a_message_naming_it(string key, string value, string message)
    {
        var settings = WeChatPayClientFactory.Settings(Live, publicKey: true, certificates: null);
        settings[key] = value;
        using var sp = WeChatPayClientFactory.Create(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<WeChatPayOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_that_is_not_a_private_key_is_rejected()
    {
        var settings = WeChatPayClientFactory.Settings(Live, publicKey: false, certificates: null);
        settings["WeChatPay:MerchantPrivateKeyPath"] = WeChatPayVectors.PathOf("keys/merchant_public_key.pem");
        using var sp = WeChatPayClientFactory.Create(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<WeChatPayOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.StartsWith("WeChatPay:MerchantPrivateKeyPath:", StringComparison.Ordinal) && f.Contains("not a usable key"));
    }

    [Fact]
    public void Turning_certificates_off_without_a_public_key_leaves_no_way_to_verify()
    {
        var settings = WeChatPayClientFactory.Settings(Live, publicKey: false, certificates: false);
        using var sp = WeChatPayClientFactory.Create(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IWeChatPayApi>());

        Assert.Contains(ex.Failures, f => f.Contains("no way to verify WeChat Pay signatures"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/")]
    [InlineData("http://localhost:5080/")]
    [InlineData("http://[::1]:5080/")]
    public void Plain_http_is_allowed_for_loopback_simulators_only(string url)
    {
        var options = new WeChatPayOptions
        {
            MchId = "1900000001", AppId = "wxd678efh567hg6787", MerchantCertificateSerial = WeChatPayVectors.MerchantSerial,
            MerchantPrivateKeyPath = WeChatPayVectors.PathOf("keys/merchant_private_key.pem"), ApiV3Key = WeChatPayVectors.ApiV3Key,
            NotifyUrl = url + "api/wechatpay/notify", BaseUrl = url,
        };

        Assert.Empty(WeChatPayOptionsValidator.Check(options));
        Assert.True(options.PlatformCertificatesEnabled);
    }
}
