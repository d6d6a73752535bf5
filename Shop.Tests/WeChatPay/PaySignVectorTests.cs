using System.Text.Json;
using Shop.Tests.WeChatPay.Support;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Signing;

namespace Shop.Tests.WeChatPay;

/// <summary>paysign.json: JSAPI / mini-program front-end parameters, exact paySign.</summary>
public sealed class PaySignVectorTests
{
    private const string File = "paysign.json";

    public static TheoryData<string> Cases => WeChatPayVectors.CaseNames(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void PaySign_and_client_parameters_match_exactly(string name)
    {
        var c = WeChatPayVectors.Case(File, name);
        var expected = c.GetProperty("expected");
        using var key = WeChatPayVectors.MerchantKey();
        var signer = new JsapiPaySigner(key, new FixedNonce(c.Str("nonceStr")), WeChatPayVectors.ClockAt(long.Parse(c.Str("timeStamp"))));
        var prepayId = c.Str("package")["prepay_id=".Length..];

        var parameters = signer.Create(c.Str("appId"), prepayId);

        Assert.Equal(expected.Str("signing_string"),
            JsapiPaySigner.BuildMessage(parameters.AppId, parameters.TimeStamp, parameters.NonceStr, parameters.Package));
        Assert.Equal(expected.Str("paySign"), parameters.PaySign);
        var json = JsonSerializer.SerializeToElement(parameters, WeChatPayJson.Options);
        var clientParams = expected.GetProperty("client_params");
        Assert.Equal(
            clientParams.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()),
            json.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()));
    }
}
