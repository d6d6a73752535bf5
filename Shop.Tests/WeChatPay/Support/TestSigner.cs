using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Shop.WeChatPay.Signing;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay.Support;

/// <summary>Plays WeChat Pay's side in tests: signs responses/notifications with the throw-away platform or public-key pair.</summary>
internal static class TestSigner
{
    public static void SignResponse(HttpResponseMessage response, RSA key, string serial, DateTimeOffset now, byte[] body, string nonce = "0f9e8d7c6b5a49382716a5b4c3d2e1f0")
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var message = WeChatPaySignatureVerifier.BuildMessage(timestamp, nonce, body);
        var signature = Convert.ToBase64String(key.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        response.Headers.TryAddWithoutValidation(WeChatPayHeaders.Timestamp, timestamp);
        response.Headers.TryAddWithoutValidation(WeChatPayHeaders.Nonce, nonce);
        response.Headers.TryAddWithoutValidation(WeChatPayHeaders.Signature, signature);
        response.Headers.TryAddWithoutValidation(WeChatPayHeaders.Serial, serial);
        response.Headers.TryAddWithoutValidation(WeChatPayHeaders.SignatureType, WeChatPayAuthorization.Scheme);
        response.Headers.TryAddWithoutValidation(WeChatPayHeaders.RequestId, "test-request-id");
    }

    /// <summary>Re-verifies a captured request's Authorization with the merchant PUBLIC key, as WeChat Pay would.</summary>
    public static bool VerifyRequest(RSA merchantPublicKey, string method, string requestTarget, string? authorizationHeader, byte[] body)
    {
        if (WeChatPayAuthorization.TryParse(authorizationHeader) is not { } auth)
        {
            return false;
        }

        var message = RequestSigner.BuildMessage(method, requestTarget, auth.Timestamp, auth.NonceStr, body);
        return merchantPublicKey.VerifyData(message, Convert.FromBase64String(auth.Signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
