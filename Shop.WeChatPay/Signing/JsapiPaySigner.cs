using System.Globalization;
using System.Text.Json.Serialization;
using Shop.WeChatPay.Crypto;

namespace Shop.WeChatPay.Signing;

/// <summary>
/// The parameters a WeChat page (WeixinJSBridge getBrandWCPayRequest) or mini program (wx.requestPayment) needs to
/// start a JSAPI payment. Property names are the front-end's own camelCase names.
/// </summary>
public sealed record JsapiPayParameters(
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("timeStamp")] string TimeStamp,
    [property: JsonPropertyName("nonceStr")] string NonceStr,
    [property: JsonPropertyName("package")] string Package,
    [property: JsonPropertyName("signType")] string SignType,
    [property: JsonPropertyName("paySign")] string PaySign);

/// <summary>
/// paySign = RSASSA-PKCS1-v1_5/SHA-256 with the merchant key over appId\ntimeStamp\nnonceStr\npackage\n
/// (signType is not signed). The front-end result is only a hint; orders are fulfilled from notifications/queries.
/// </summary>
public sealed class JsapiPaySigner(MerchantKey merchantKey, INonceGenerator nonces, TimeProvider time)
{
    public const string SignType = "RSA";

    public JsapiPayParameters Create(string appId, string prepayId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appId);
        ArgumentException.ThrowIfNullOrWhiteSpace(prepayId);
        var timeStamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonceStr = nonces.Next();
        var package = "prepay_id=" + prepayId;
        var paySign = merchantKey.Sign(BuildMessage(appId, timeStamp, nonceStr, package));
        return new JsapiPayParameters(appId, timeStamp, nonceStr, package, SignType, paySign);
    }

    public static string BuildMessage(string appId, string timeStamp, string nonceStr, string package) =>
        $"{appId}\n{timeStamp}\n{nonceStr}\n{package}\n";
}
