using System.Globalization;
using System.Security.Cryptography;
using Shop.WeChatPay.Signing;
using Shop.WeChatPay.Simulator.Keys;
using Shop.WeChatPay.Verification;

namespace Shop.WeChatPay.Simulator.Protocol;

/// <summary>
/// Checks a merchant request the way WeChat Pay does: a complete WECHATPAY2-SHA256-RSA2048 Authorization header, a known
/// mchid and certificate serial, a timestamp within 300 s, and an RSA/SHA-256 signature over
/// METHOD\nREQUEST_TARGET\nTIMESTAMP\nNONCE\nBODY\n computed from the raw request-target and body bytes received.
/// </summary>
internal sealed class RequestAuthenticator(MerchantRegistry merchants)
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(300);

    public (Merchant? Merchant, WeChatPayError? Error) Authenticate(
        string method, string requestTarget, string? authorization, string? userAgent, byte[] body, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return Fail(WeChatPayError.SignError("Http头缺少Authorization"));
        }

        if (WeChatPayAuthorization.TryParse(authorization) is not { } auth)
        {
            return Fail(WeChatPayError.SignError("Http头Authorization值格式错误: expected WECHATPAY2-SHA256-RSA2048 with mchid, nonce_str, signature, timestamp, serial_no"));
        }

        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return Fail(WeChatPayError.InvalidRequest("Http头缺少User-Agent"));
        }

        if (merchants.Find(auth.MchId) is not { } merchant)
        {
            return Fail(new WeChatPayError(400, "MCH_NOT_EXISTS", $"商户号不存在: {auth.MchId}"));
        }

        if (merchant.FindKey(auth.SerialNo) is not { } key)
        {
            return Fail(WeChatPayError.SignError($"商户证书序列号有误: {auth.SerialNo} is not a certificate of merchant {auth.MchId}"));
        }

        if (!long.TryParse(auth.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(now.ToUnixTimeSeconds() - timestamp) > (long)MaxClockSkew.TotalSeconds)
        {
            return Fail(WeChatPayError.SignError("请求时间戳与系统时间相差超过5分钟"));
        }

        var message = RequestSigner.BuildMessage(method, requestTarget, auth.Timestamp, auth.NonceStr, body);
        return IsValid(key, message, auth.Signature)
            ? (merchant, null)
            : Fail(WeChatPayError.SignError("签名错误: the signature does not match METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n"));
    }

    /// <summary>Which merchant the Authorization header claims, without verifying it (to choose a response key).</summary>
    public Merchant? Claimed(string? authorization) =>
        WeChatPayAuthorization.TryParse(authorization) is { } auth ? merchants.Find(auth.MchId) : null;

    private static bool IsValid(RSA key, byte[] message, string signatureText)
    {
        try
        {
            return key.VerifyData(message, Convert.FromBase64String(signatureText), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return false;
        }
    }

    private static (Merchant?, WeChatPayError?) Fail(WeChatPayError error) => (null, error);
}

/// <summary>A request that passed <see cref="RequestAuthenticator"/>: the merchant and the exact body bytes.</summary>
internal sealed record SignedRequest(Merchant Merchant, byte[] Body)
{
    public const string ItemKey = "Shop.WeChatPay.Simulator.SignedRequest";

    public static ValueTask<SignedRequest?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.Items[ItemKey] as SignedRequest);
}
