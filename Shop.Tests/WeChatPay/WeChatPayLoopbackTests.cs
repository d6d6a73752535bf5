using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.Tests.WeChatPay.Support;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay;

/// <summary>
/// The real AddWeChatPay client (Refit + resilience + signing + verification) against a loopback WeChat Pay
/// simulator that re-verifies every request with the merchant public key over the raw request-target.
/// </summary>
public sealed class WeChatPayLoopbackTests : IAsyncLifetime
{
    private WeChatPaySimulator _wechat = null!;

    public async Task InitializeAsync() => _wechat = await WeChatPaySimulator.StartAsync();

    public async Task DisposeAsync() => await _wechat.DisposeAsync();

    [Fact]
    public async Task Certificate_mode_downloads_the_unknown_platform_certificate_once_and_verifies_with_it()
    {
        await using var sp = WeChatPayClientFactory.Create(WeChatPayClientFactory.Settings(_wechat.BaseUrl, publicKey: false, certificates: null));
        var api = sp.GetRequiredService<IWeChatPayApi>();

        var first = await api.JsapiPrepayAsync(Prepay("SIM-CERT-0001"));
        var second = await api.JsapiPrepayAsync(Prepay("SIM-CERT-0002"));

        Assert.StartsWith("wx", first.PrepayId);
        Assert.NotEqual(first.PrepayId, second.PrepayId);
        Assert.Equal(1, _wechat.CertificateDownloads);
        Assert.All(_wechat.Requests, r => Assert.True(r.SignatureValid));
        Assert.Equal(WeChatPayVectors.PlatformSerial, sp.GetRequiredService<VerificationKeyStore>().PreferredSerial());
        Assert.Equal(WeChatPayVectors.PlatformSerial, _wechat.Requests.Last().Serial);
    }

    [Fact]
    public async Task Public_key_mode_names_the_key_id_and_never_downloads_certificates()
    {
        await using var sp = WeChatPayClientFactory.Create(WeChatPayClientFactory.Settings(_wechat.BaseUrl, publicKey: true, certificates: null));
        var api = sp.GetRequiredService<IWeChatPayApi>();

        await api.JsapiPrepayAsync(Prepay("SIM-PUB-0001"));

        var sent = Assert.Single(_wechat.Requests);
        Assert.Equal(WeChatPayVectors.PublicKeyId, sent.Serial);
        Assert.Equal(0, _wechat.CertificateDownloads);
    }

    [Fact]
    public async Task Both_modes_at_once_keep_certificates_and_the_public_key_in_one_store()
    {
        await using var sp = WeChatPayClientFactory.Create(WeChatPayClientFactory.Settings(_wechat.BaseUrl, publicKey: true, certificates: true));

        var stored = await sp.GetRequiredService<PlatformCertificateProvider>().RefreshAsync(default);
        await sp.GetRequiredService<IWeChatPayApi>().JsapiPrepayAsync(Prepay("SIM-BOTH-0001"));

        Assert.Equal(1, stored);
        var kinds = sp.GetRequiredService<VerificationKeyStore>().All.Select(k => k.Kind).Order();
        Assert.Equal([VerificationKeyKind.PlatformCertificate, VerificationKeyKind.WeChatPayPublicKey], kinds);
        Assert.All(_wechat.Requests, r => Assert.Equal(WeChatPayVectors.PublicKeyId, r.Serial));
    }

    [Fact]
    public async Task Query_and_close_an_order_whose_number_needs_percent_encoding()
    {
        await using var sp = WeChatPayClientFactory.Create(WeChatPayClientFactory.Settings(_wechat.BaseUrl, publicKey: true, certificates: null));
        var api = sp.GetRequiredService<IWeChatPayApi>();
        const string outTradeNo = "WX20250601-0002|A*";
        await api.JsapiPrepayAsync(Prepay(outTradeNo));

        var open = await api.QueryByOutTradeNoAsync(outTradeNo, WeChatPayVectors.MchId);
        await api.CloseAsync(outTradeNo, new CloseOrderRequest(WeChatPayVectors.MchId));
        var closed = await api.QueryByOutTradeNoAsync(outTradeNo, WeChatPayVectors.MchId);

        Assert.Equal((TradeStates.NotPay, 100L), (open.TradeState, open.Amount!.Total));
        Assert.Equal(TradeStates.Closed, closed.TradeState);
        var query = _wechat.Requests.First(r => r.Method == "GET");
        // Refit escapes '*' too (the vector's hand-built URL keeps it); either is fine because the target as sent is signed.
        Assert.Equal("/v3/pay/transactions/out-trade-no/WX20250601-0002%7CA%2A?mchid=1900000001", query.Target);
        Assert.All(_wechat.Requests, r => Assert.True(r.SignatureValid));
    }

    [Fact]
    public async Task Refund_create_and_query_keep_amounts_in_fen()
    {
        await using var sp = WeChatPayClientFactory.Create(WeChatPayClientFactory.Settings(_wechat.BaseUrl, publicKey: true, certificates: null));
        var api = sp.GetRequiredService<IWeChatPayApi>();
        var request = new RefundRequest
        {
            OutTradeNo = "WX20250601000001", OutRefundNo = "RF20250601000001", Reason = "商品缺货",
            Amount = new RefundRequestAmount(50, 100),
        };

        var created = await api.CreateRefundAsync(request);
        var again = await api.CreateRefundAsync(request);
        var queried = await api.QueryRefundAsync("RF20250601000001");

        Assert.Equal(RefundStatuses.Processing, created.Status);
        Assert.Equal(created.RefundId, again.RefundId);
        Assert.Equal((100L, 50L), (queried.Amount!.Total, queried.Amount.Refund));
    }

    [Fact]
    public async Task Error_answer_becomes_a_typed_exception_with_code_status_and_request_id()
    {
        await using var sp = WeChatPayClientFactory.Create(WeChatPayClientFactory.Settings(_wechat.BaseUrl, publicKey: true, certificates: null));
        var api = sp.GetRequiredService<IWeChatPayApi>();

        var ex = await Assert.ThrowsAsync<WeChatPayApiException>(() => api.QueryRefundAsync("RF-NOT-THERE"));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("RESOURCE_NOT_EXISTS", ex.Code);
        Assert.Equal("退款单不存在", ex.WeChatMessage);
        Assert.True(ex.IsCode("RESOURCENOTEXISTS"));
        Assert.True(ex.SignatureVerified);
        Assert.Equal("test-request-id", ex.RequestId);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Tampered_or_probe_signed_response_is_never_returned(bool tamper, bool probe)
    {
        await using var sp = WeChatPayClientFactory.Create(WeChatPayClientFactory.Settings(_wechat.BaseUrl, publicKey: true, certificates: null));
        var api = sp.GetRequiredService<IWeChatPayApi>();
        _wechat.TamperResponses = tamper;
        _wechat.SendSignatureProbes = probe;

        var ex = await Assert.ThrowsAsync<WeChatPayVerificationException>(() => api.JsapiPrepayAsync(Prepay("SIM-TAMPER-0001")));

        Assert.Equal(VerificationCheck.Signature, ex.Result.FailedCheck);
        Assert.Single(_wechat.Requests);
    }

    [Fact]
    public async Task Transient_failures_are_retried_with_a_fresh_signature_over_the_same_body()
    {
        await using var sp = WeChatPayClientFactory.Create(WeChatPayClientFactory.Settings(_wechat.BaseUrl, publicKey: true, certificates: null));
        var api = sp.GetRequiredService<IWeChatPayApi>();
        _wechat.FailNext(2);

        var prepay = await api.JsapiPrepayAsync(Prepay("SIM-RETRY-0001"));

        Assert.StartsWith("wx", prepay.PrepayId);
        var attempts = _wechat.Requests.ToArray();
        Assert.Equal(3, attempts.Length);
        Assert.All(attempts, a => Assert.True(a.SignatureValid));
        Assert.Single(attempts.Select(a => Convert.ToBase64String(a.Body)).Distinct());
        Assert.Equal(3, attempts.Select(a => a.Nonce).Distinct().Count());
    }

    [Fact]
    public async Task Persistent_server_errors_surface_as_api_exception_after_the_retries()
    {
        await using var sp = WeChatPayClientFactory.Create(WeChatPayClientFactory.Settings(_wechat.BaseUrl, publicKey: true, certificates: null));
        var api = sp.GetRequiredService<IWeChatPayApi>();
        _wechat.FailNext(10);

        var ex = await Assert.ThrowsAsync<WeChatPayApiException>(() => api.QueryRefundAsync("RF20250601000009"));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.True(ex.IsCode("SYSTEMERROR"));
        Assert.Equal(4, _wechat.Requests.Count);
    }

    private static JsapiPrepayRequest Prepay(string outTradeNo) => new()
    {
        AppId = "wxd678efh567hg6787",
        MchId = WeChatPayVectors.MchId,
        Description = "测试商品-咖啡豆 250g",
        OutTradeNo = outTradeNo,
        NotifyUrl = "https://shop.example.com/api/wechatpay/notify",
        Amount = new PrepayAmount(100),
        Payer = new PrepayPayer("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
    };
}
