using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Shop.Tests.WeChatPay.Support;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay;

/// <summary>The response-verifying handler against in-test WeChat Pay answers signed with the throw-away public-key pair.</summary>
public sealed class ResponseVerifyingHandlerTests
{
    private const string Url = "https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/WX1?mchid=1900000001";
    private readonly FakeTimeProvider _clock = WeChatPayVectors.ClockAt(1748736200);

    [Fact]
    public async Task Tampered_body_is_rejected_and_never_returned()
    {
        using var client = Client(_ => Answer(HttpStatusCode.OK, """{"trade_state":"NOTPAY"}""", sent: """{"trade_state":"SUCCESS"}"""));

        var ex = await Assert.ThrowsAsync<WeChatPayVerificationException>(() => client.GetAsync(Url));

        Assert.Equal(VerificationCheck.Signature, ex.Result.FailedCheck);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Contains("test-request-id", ex.Message);
    }

    [Fact]
    public async Task Signed_204_with_empty_body_is_accepted_and_unsigned_204_is_not()
    {
        using var signed = Client(_ => Answer(HttpStatusCode.NoContent, ""));
        using var unsigned = Client(_ => new HttpResponseMessage(HttpStatusCode.NoContent));

        using var ok = await signed.PostAsync(Url, new StringContent("{}"));
        var ex = await Assert.ThrowsAsync<WeChatPayVerificationException>(() => unsigned.PostAsync(Url, new StringContent("{}")));

        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        Assert.Equal(VerificationCheck.Headers, ex.Result.FailedCheck);
    }

    [Fact]
    public async Task Stale_response_fails_the_timestamp_check()
    {
        using var client = Client(_ => Answer(HttpStatusCode.OK, "{}", signedAt: _clock.GetUtcNow().AddMinutes(-6)));

        var ex = await Assert.ThrowsAsync<WeChatPayVerificationException>(() => client.GetAsync(Url));

        Assert.Equal(VerificationCheck.Timestamp, ex.Result.FailedCheck);
    }

    [Fact]
    public async Task Error_answers_pass_through_with_their_verification_recorded()
    {
        using var client = Client(_ => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>bad gateway</html>") });
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.True(request.Options.TryGetValue(ResponseVerifyingHandler.ResultKey, out var result));
        Assert.Equal(VerificationCheck.Headers, result.FailedCheck);
    }

    private HttpClient Client(Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        var store = new VerificationKeyStore(_clock);
        store.AddPublicKey(WeChatPayVectors.PublicKeyId, PemKeys.ImportPublicKey(WeChatPayVectors.Pem("keys/wxpaypub_public_key.pem")));
        var verifier = new WeChatPaySignatureVerifier(new StoreKeyResolver(store), _clock);
        return new HttpClient(new ResponseVerifyingHandler(verifier, store, new ApiV3Cipher(WeChatPayVectors.ApiV3Key))
        {
            InnerHandler = new CapturingHandler(respond),
        });
    }

    private HttpResponseMessage Answer(HttpStatusCode status, string signedBody, string? sent = null, DateTimeOffset? signedAt = null)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(sent ?? signedBody)) };
        using var key = WeChatPayVectors.WeChatPayPublicKeyPrivatePart();
        TestSigner.SignResponse(response, key, WeChatPayVectors.PublicKeyId, signedAt ?? _clock.GetUtcNow(), Encoding.UTF8.GetBytes(signedBody));
        return response;
    }
}
