using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shop.Tests.WeChatPay.Support;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Signing;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay;

/// <summary>
/// The whole AddWeChatPay client (Refit serialization, resilience, signing, verification) with the vector clock and
/// nonce: the request models serialize to the vector bodies byte-for-byte and the wire carries the vector signature.
/// </summary>
public sealed class RefitVectorTests
{
    private const string Signing = "request_signing.json";

    [Fact]
    public void Request_records_serialize_to_the_vector_bodies()
    {
        Assert.Equal(Body("jsapi_prepay_post_utf8_body"), JsonSerializer.Serialize(VectorPrepay(), WeChatPayJson.Options));
        Assert.Equal(Body("domestic_refund_post"), JsonSerializer.Serialize(VectorRefund(), WeChatPayJson.Options));
    }

    [Fact]
    public async Task Prepay_through_the_client_sends_the_vector_signature_and_accepts_the_vector_response()
    {
        var c = WeChatPayVectors.Case(Signing, "jsapi_prepay_post_utf8_body");
        var answer = WeChatPayVectors.Case("response_verification.json", "prepay_200_signed_by_platform_certificate");
        var wire = new CapturingHandler(_ => Replay(answer));
        await using var sp = Client(c, wire);

        var response = await sp.GetRequiredService<IWeChatPayApi>().JsapiPrepayAsync(VectorPrepay());

        Assert.Equal("wx01080012345678abcdef1234567890000", response.PrepayId);
        AssertSentAsVector(c, Assert.Single(wire.Requests));
    }

    [Fact]
    public async Task Refund_through_the_client_sends_the_vector_signature()
    {
        var c = WeChatPayVectors.Case(Signing, "domestic_refund_post");
        var wire = new CapturingHandler(_ => SignedRefundAnswer(long.Parse(c.Str("timestamp"))));
        await using var sp = Client(c, wire);

        var refund = await sp.GetRequiredService<IWeChatPayApi>().CreateRefundAsync(VectorRefund());

        Assert.Equal((RefundStatuses.Processing, 50L), (refund.Status, refund.Amount!.Refund));
        AssertSentAsVector(c, Assert.Single(wire.Requests));
    }

    private static void AssertSentAsVector(JsonElement c, CapturingHandler.Sent sent)
    {
        var expected = c.GetProperty("expected");
        Assert.Equal(expected.Str("canonical_url"), sent.Target);
        Assert.Equal(c.Str("body"), Encoding.UTF8.GetString(sent.Body));
        Assert.Equal(expected.Str("signature"), WeChatPayAuthorization.TryParse(sent.Authorization)!.Signature);
        Assert.Equal(expected.Str("authorization"), sent.Authorization);
        Assert.Equal(WeChatPayVectors.PlatformSerial, sent.Serial);
    }

    private static ServiceProvider Client(JsonElement c, CapturingHandler wire)
    {
        var clock = WeChatPayVectors.ClockAt(long.Parse(c.Str("timestamp")));
        var sp = WeChatPayClientFactory.Create(
            WeChatPayClientFactory.Settings(new Uri("https://api.mch.weixin.qq.com"), publicKey: false, certificates: true),
            services => services.AddSingleton<TimeProvider>(clock).AddSingleton<INonceGenerator>(new FixedNonce(c.Str("nonce_str"))),
            client => client.ConfigurePrimaryHttpMessageHandler(() => wire));
        using var certificate = X509Certificate2.CreateFromPem(WeChatPayVectors.Pem("keys/platform_cert.pem"));
        sp.GetRequiredService<VerificationKeyStore>().AddCertificate(WeChatPayVectors.PlatformSerial, certificate);
        return sp;
    }

    private static HttpResponseMessage Replay(JsonElement answer)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer.Str("raw_body"), Encoding.UTF8, "application/json") };
        foreach (var header in answer.GetProperty("headers").EnumerateObject().Where(h => h.Name != "Content-Type"))
        {
            response.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
        }

        return response;
    }

    private static HttpResponseMessage SignedRefundAnswer(long now)
    {
        var body = Encoding.UTF8.GetBytes("""{"refund_id":"50300002025060112345678901","out_refund_no":"RF20250601000001","status":"PROCESSING","amount":{"total":100,"refund":50,"payer_total":100,"payer_refund":50,"currency":"CNY"}}""");
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        using var platform = WeChatPayVectors.PlatformPrivateKey();
        TestSigner.SignResponse(response, platform, WeChatPayVectors.PlatformSerial, DateTimeOffset.FromUnixTimeSeconds(now + 1), body);
        return response;
    }

    private static string Body(string name) => WeChatPayVectors.Case(Signing, name).Str("body");

    private static JsapiPrepayRequest VectorPrepay() => new()
    {
        AppId = "wxd678efh567hg6787",
        MchId = "1900000001",
        Description = "测试商品-咖啡豆 250g",
        OutTradeNo = "WX20250601000001",
        TimeExpire = new DateTimeOffset(2025, 6, 1, 8, 30, 0, TimeSpan.FromHours(8)),
        Attach = "cart=42",
        NotifyUrl = "https://shop.example.com/api/wechatpay/notify",
        Amount = new PrepayAmount(100, "CNY"),
        Payer = new PrepayPayer("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
    };

    private static RefundRequest VectorRefund() => new()
    {
        OutTradeNo = "WX20250601000001",
        OutRefundNo = "RF20250601000001",
        Reason = "商品缺货",
        NotifyUrl = "https://shop.example.com/api/wechatpay/refund-notify",
        Amount = new RefundRequestAmount(50, 100, "CNY"),
    };
}
