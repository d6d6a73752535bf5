using System.Net;
using System.Text;
using System.Text.Json;
using Shop.Tests.WeChatPay.Support;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay;

/// <summary>response_verification.json, both directly and through the response-verifying handler.</summary>
public sealed class ResponseVerificationVectorTests
{
    private const string File = "response_verification.json";

    public static TheoryData<string> Cases => WeChatPayVectors.CaseNames(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Verifier_gives_the_expected_outcome(string name)
    {
        var c = WeChatPayVectors.Case(File, name);
        var expected = c.GetProperty("expected");
        var headers = WeChatPayVectors.Headers(c);
        var body = WeChatPayVectors.RawBody(c);

        var result = await Verifier(c).VerifyAsync(headers, body);

        Assert.Equal(expected.Str("verification_message"), Encoding.UTF8.GetString(WeChatPaySignatureVerifier.BuildMessage(headers.Timestamp!, headers.Nonce!, body)));
        Assert.Equal(expected.GetProperty("signature_valid").GetBoolean(), result.IsValid);
        Assert.Equal(expected.Str("outcome") == "accept", result.IsValid);
        if (!result.IsValid)
        {
            Assert.Equal(VerificationCheck.Signature, result.FailedCheck);
        }
        else
        {
            Assert.Equal(expected.Str("key_mode") == "platform_certificate" ? VerificationKeyKind.PlatformCertificate : VerificationKeyKind.WeChatPayPublicKey,
                result.KeyKind);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Handler_passes_verified_responses_through_unchanged_and_throws_for_the_rest(string name)
    {
        var c = WeChatPayVectors.Case(File, name);
        var body = WeChatPayVectors.RawBody(c);
        var wire = new CapturingHandler(_ => Replay(c, body));
        var clock = WeChatPayVectors.ClockAt(c.GetProperty("verify_at_unix").GetInt64());
        var store = WeChatPayVectors.KeyStore(File, clock);
        var handler = new ResponseVerifyingHandler(new WeChatPaySignatureVerifier(new StoreKeyResolver(store), clock), store,
            new ApiV3Cipher(WeChatPayVectors.ApiV3Key)) { InnerHandler = wire };
        using var client = new HttpClient(handler);

        var send = client.PostAsync("https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi", new StringContent("{}"));

        if (c.GetProperty("expected").Str("outcome") == "accept")
        {
            using var response = await send;
            Assert.Equal(c.GetProperty("status").GetInt32(), (int)response.StatusCode);
            Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        }
        else
        {
            var ex = await Assert.ThrowsAsync<WeChatPayVerificationException>(() => send);
            Assert.Equal(VerificationCheck.Signature, ex.Result.FailedCheck);
            Assert.Equal(c.GetProperty("headers").Str("Request-ID"), ex.RequestId);
        }
    }

    private static WeChatPaySignatureVerifier Verifier(JsonElement c)
    {
        var clock = WeChatPayVectors.ClockAt(c.GetProperty("verify_at_unix").GetInt64());
        return new WeChatPaySignatureVerifier(new StoreKeyResolver(WeChatPayVectors.KeyStore(File, clock)), clock);
    }

    private static HttpResponseMessage Replay(JsonElement c, byte[] body)
    {
        var response = new HttpResponseMessage((HttpStatusCode)c.GetProperty("status").GetInt32()) { Content = new ByteArrayContent(body) };
        foreach (var header in c.GetProperty("headers").EnumerateObject())
        {
            if (!response.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString()))
            {
                response.Content.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
            }
        }

        return response;
    }
}
