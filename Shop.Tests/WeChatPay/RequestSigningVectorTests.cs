using System.Text;
using System.Text.Json;
using Shop.Tests.WeChatPay.Support;
using Shop.WeChatPay.Signing;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay;

/// <summary>request_signing.json: every case's canonical URL, signing string, exact signature and Authorization.</summary>
public sealed class RequestSigningVectorTests
{
    private const string File = "request_signing.json";

    public static TheoryData<string> Cases => WeChatPayVectors.CaseNames(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signing_string_is_built_from_the_request_target_as_sent(string name)
    {
        var c = WeChatPayVectors.Case(File, name);
        var expected = c.GetProperty("expected");
        var canonical = new Uri(c.Str("url")).PathAndQuery;

        var message = RequestSigner.BuildMessage(c.Str("method"), canonical, c.Str("timestamp"), c.Str("nonce_str"), Encoding.UTF8.GetBytes(c.Str("body")));

        Assert.Equal(expected.Str("canonical_url"), canonical);
        Assert.Equal(expected.Str("signing_string"), Encoding.UTF8.GetString(message));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signer_reproduces_the_exact_signature_and_authorization(string name)
    {
        var c = WeChatPayVectors.Case(File, name);
        var expected = c.GetProperty("expected");
        using var key = WeChatPayVectors.MerchantKey();
        var signer = new RequestSigner(key, new FixedNonce(c.Str("nonce_str")), WeChatPayVectors.ClockAt(long.Parse(c.Str("timestamp"))));

        var authorization = signer.Sign(c.Str("method"), expected.Str("canonical_url"), Encoding.UTF8.GetBytes(c.Str("body")));

        Assert.Equal(expected.Str("signature"), authorization.Signature);
        Assert.Equal(expected.Str("authorization"), authorization.ToString());
        AssertFields(expected.GetProperty("authorization_fields"), authorization);
        AssertFields(expected.GetProperty("authorization_fields"), WeChatPayAuthorization.TryParse(expected.Str("authorization"))!);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Signing_handler_sends_the_vector_signature_and_the_merchant_public_key_verifies_it(string name)
    {
        var c = WeChatPayVectors.Case(File, name);
        var expected = c.GetProperty("expected");
        using var key = WeChatPayVectors.MerchantKey();
        var clock = WeChatPayVectors.ClockAt(long.Parse(c.Str("timestamp")));
        var signer = new RequestSigner(key, new FixedNonce(c.Str("nonce_str")), clock);
        var wire = new CapturingHandler();
        using var client = new HttpClient(new SigningHandler(signer, new VerificationKeyStore(clock), "Shop.Tests") { InnerHandler = wire });

        using var request = new HttpRequestMessage(new HttpMethod(c.Str("method")), c.Str("url"));
        if (c.Str("body").Length > 0)
        {
            request.Content = new StringContent(c.Str("body"), Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        var sent = Assert.Single(wire.Requests);
        Assert.Equal(expected.Str("canonical_url"), sent.Target);
        Assert.Equal(Encoding.UTF8.GetBytes(c.Str("body")), sent.Body);
        Assert.Equal(expected.Str("authorization"), sent.Authorization);
        using var merchantPublic = WeChatPayVectors.MerchantPublicKey();
        Assert.True(TestSigner.VerifyRequest(merchantPublic, sent.Method, sent.Target, sent.Authorization, sent.Body));
        Assert.Equal("application/json", sent.Accept);
        Assert.Equal("Shop.Tests", sent.UserAgent);
    }

    private static void AssertFields(JsonElement fields, WeChatPayAuthorization actual)
    {
        Assert.Equal(fields.Str("mchid"), actual.MchId);
        Assert.Equal(fields.Str("nonce_str"), actual.NonceStr);
        Assert.Equal(fields.Str("signature"), actual.Signature);
        Assert.Equal(fields.Str("timestamp"), actual.Timestamp);
        Assert.Equal(fields.Str("serial_no"), actual.SerialNo);
    }
}
