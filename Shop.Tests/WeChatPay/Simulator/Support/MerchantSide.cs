using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.WeChatPay;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Notifications;
using Shop.WeChatPay.Signing;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay.Simulator.Support;

/// <summary>An answer read without the Refit client, with the result of verifying its signature.</summary>
internal sealed record RawAnswer(HttpStatusCode Status, string Body, VerificationResult Verification)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// The shop's side: the real AddWeChatPay composition (Refit client, signing, verification, notification parser)
/// configured against the simulator, plus a raw sender for requests the typed client would never produce.
/// </summary>
internal sealed class MerchantSide : IAsyncDisposable
{
    private static readonly HttpClient Raw = new();
    private readonly ServiceProvider _services;
    private readonly Uri _simulator;

    private MerchantSide(ServiceProvider services, Uri simulator)
    {
        _services = services;
        _simulator = simulator;
    }

    public IServiceProvider Services => _services;

    public IWeChatPayApi Api => _services.GetRequiredService<IWeChatPayApi>();

    public WeChatPayNotificationParser Parser => _services.GetRequiredService<WeChatPayNotificationParser>();

    /// <summary>Public-key mode when <paramref name="publicKeyPath"/> is given, otherwise platform certificates only.</summary>
    public static MerchantSide Create(
        MerchantIdentity merchant, Uri simulator, string notifyUrl, string? publicKeyId, string? publicKeyPath, string? privateKeyPath = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WeChatPay:MchId"] = merchant.MchId,
            ["WeChatPay:AppId"] = merchant.AppId,
            ["WeChatPay:MerchantPrivateKeyPath"] = privateKeyPath ?? merchant.PrivateKeyPath,
            ["WeChatPay:MerchantCertificateSerial"] = merchant.CertificateSerial,
            ["WeChatPay:ApiV3Key"] = merchant.ApiV3Key,
            ["WeChatPay:NotifyUrl"] = notifyUrl,
            ["WeChatPay:BaseUrl"] = simulator.ToString(),
            ["WeChatPay:PublicKeyId"] = publicKeyPath is null ? null : publicKeyId,
            ["WeChatPay:PublicKeyPath"] = publicKeyPath,
            ["WeChatPay:UsePlatformCertificates"] = publicKeyPath is null ? "true" : null,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddWeChatPay(configuration.GetSection("WeChatPay"));
        return new MerchantSide(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), simulator);
    }

    /// <summary>Signs <paramref name="body"/> exactly as given with the merchant key (at <paramref name="signingClock"/>'s time), sends it, verifies the answer.</summary>
    public async Task<RawAnswer> SendRawAsync(
        HttpMethod method, string pathAndQuery, string? body, TimeProvider? signingClock = null, Action<HttpRequestMessage>? change = null)
    {
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var signer = new RequestSigner(_services.GetRequiredService<MerchantKey>(), new RandomNonceGenerator(), signingClock ?? TimeProvider.System);
        using var request = new HttpRequestMessage(method, new Uri(_simulator, pathAndQuery));
        request.Headers.TryAddWithoutValidation("Authorization", signer.Sign(method.Method, request.RequestUri!.PathAndQuery, bytes).ToString());
        request.Headers.TryAddWithoutValidation("User-Agent", "Shop.Tests");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // As the real signing handler does: name the key we verify with, so even an unauthenticated answer is signed with it.
        if (_services.GetRequiredService<VerificationKeyStore>().PreferredSerial() is { } serial)
        {
            request.Headers.TryAddWithoutValidation(WeChatPayHeaders.Serial, serial);
        }
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        }

        change?.Invoke(request);
        using var response = await Raw.SendAsync(request);
        var answer = await response.Content.ReadAsByteArrayAsync();
        var verification = await _services.GetRequiredService<WeChatPaySignatureVerifier>().VerifyAsync(SignatureHeaders.From(response.Headers), answer);
        return new RawAnswer(response.StatusCode, Encoding.UTF8.GetString(answer), verification);
    }

    public JsapiPrepayRequest Prepay(string outTradeNo, long total = 1000, string? notifyUrl = null, string? appId = null) => new()
    {
        AppId = appId ?? _services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WeChatPayOptions>>().Value.AppId,
        MchId = _services.GetRequiredService<MerchantKey>().MchId,
        Description = "Shop 测试商品 咖啡豆 250g",
        OutTradeNo = outTradeNo,
        Attach = "order:" + outTradeNo,
        NotifyUrl = notifyUrl ?? _services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WeChatPayOptions>>().Value.NotifyUrl,
        Amount = new PrepayAmount(total),
        Payer = new PrepayPayer("oTestPayer0000000000000000001"),
    };

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
