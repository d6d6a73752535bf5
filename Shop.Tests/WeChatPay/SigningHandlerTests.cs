using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Shop.Tests.WeChatPay.Support;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Signing;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay;

/// <summary>The signing handler in an HttpClient; the far end re-verifies with the merchant public key.</summary>
public sealed class SigningHandlerTests
{
    private readonly FakeTimeProvider _clock = WeChatPayVectors.ClockAt(1748736011);

    [Fact]
    public async Task Lazily_serialized_json_is_signed_as_the_bytes_actually_sent()
    {
        var wire = new CapturingHandler();
        using var client = Client(wire, new VerificationKeyStore(_clock));
        var content = JsonContent.Create(new CloseOrderRequest("1900000001"), options: WeChatPayJson.Options);

        await client.PostAsync("https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/WX1/close", content);

        var sent = Assert.Single(wire.Requests);
        Assert.Equal("""{"mchid":"1900000001"}""", Encoding.UTF8.GetString(sent.Body));
        using var merchantPublic = WeChatPayVectors.MerchantPublicKey();
        Assert.True(TestSigner.VerifyRequest(merchantPublic, "POST", sent.Target, sent.Authorization, sent.Body));
        Assert.False(TestSigner.VerifyRequest(merchantPublic, "POST", sent.Target, sent.Authorization, Encoding.UTF8.GetBytes("""{"mchid": "1900000001"}""")));
    }

    [Fact]
    public async Task Body_less_post_signs_an_empty_last_line()
    {
        var wire = new CapturingHandler();
        using var client = Client(wire, new VerificationKeyStore(_clock));

        await client.PostAsync("https://api.mch.weixin.qq.com/v3/anything?a=1", content: null);

        var sent = Assert.Single(wire.Requests);
        Assert.Empty(sent.Body);
        using var merchantPublic = WeChatPayVectors.MerchantPublicKey();
        Assert.True(TestSigner.VerifyRequest(merchantPublic, "POST", "/v3/anything?a=1", sent.Authorization, []));
    }

    [Fact]
    public async Task Wechatpay_serial_names_the_preferred_key_unless_the_caller_set_one()
    {
        var store = new VerificationKeyStore(_clock);
        store.AddPublicKey(WeChatPayVectors.PublicKeyId, PemKeys.ImportPublicKey(WeChatPayVectors.Pem("keys/wxpaypub_public_key.pem")));
        var wire = new CapturingHandler();
        using var client = Client(wire, store);

        await client.GetAsync("https://api.mch.weixin.qq.com/v3/refund/domestic/refunds/RF1");
        using var explicitSerial = new HttpRequestMessage(HttpMethod.Get, "https://api.mch.weixin.qq.com/v3/refund/domestic/refunds/RF2");
        explicitSerial.Headers.Add(WeChatPayHeaders.Serial, WeChatPayVectors.PlatformSerial);
        await client.SendAsync(explicitSerial);

        Assert.Equal([WeChatPayVectors.PublicKeyId, WeChatPayVectors.PlatformSerial], wire.Requests.Select(r => r.Serial));
    }

    [Fact]
    public async Task Relative_uri_without_base_address_is_refused()
    {
        var signer = new RequestSigner(WeChatPayVectors.MerchantKey(), new RandomNonceGenerator(), _clock);
        using var invoker = new HttpMessageInvoker(new SigningHandler(signer, new VerificationKeyStore(_clock), "Shop.Tests") { InnerHandler = new CapturingHandler() });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v3/certificates", UriKind.Relative));

        await Assert.ThrowsAsync<InvalidOperationException>(() => invoker.SendAsync(request, default));
    }

    [Theory]
    [InlineData("WECHATPAY2-SHA256-RSA2048 serial_no=\"S\",timestamp=\"1\",nonce_str=\"N\",signature=\"X==\",mchid=\"M\"", true)]
    [InlineData("WECHATPAY2-SHA256-RSA2048 mchid=\"M\",nonce_str=\"N\",timestamp=\"1\",serial_no=\"S\"", false)]
    [InlineData("Bearer abc", false)]
    [InlineData(null, false)]
    public void Authorization_parses_in_any_field_order(string? header, bool parses)
    {
        var parsed = WeChatPayAuthorization.TryParse(header);

        Assert.Equal(parses, parsed is not null);
        if (parsed is not null)
        {
            Assert.Equal(new WeChatPayAuthorization("M", "N", "X==", "1", "S"), parsed);
        }
    }

    private HttpClient Client(CapturingHandler wire, VerificationKeyStore store)
    {
        var signer = new RequestSigner(WeChatPayVectors.MerchantKey(), new RandomNonceGenerator(), _clock);
        return new HttpClient(new SigningHandler(signer, store, "Shop.Tests") { InnerHandler = wire });
    }
}
